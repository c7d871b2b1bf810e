package io.minik8s.apiserver.registry;

import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.apiserver.storage.Store;
import io.minik8s.client.net.Ipv4Cidr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives Services their ClusterIP and node ports, never the same one twice, even with several
 * api-servers allocating at once: every taken IP or port is a key in etcd, created with
 * "only if absent", so two api-servers racing for one value cannot both win. (Kubernetes keeps
 * a bitmap in one key and compare-and-swaps it; a key per value is simpler and as safe.)
 * Dynamic ClusterIPs skip the first 16 addresses of the range, which stay for Services that ask
 * for a fixed address such as the cluster DNS's 10.96.0.10, as Kubernetes reserves a low band.
 *
 * <p>Mirrors Kubernetes' pkg/registry/core/service/ipallocator and pkg/registry/core/service/portallocator.
 */
public final class ServiceAllocator {
  private static final Logger log = LoggerFactory.getLogger(ServiceAllocator.class);
  static final String IP_PREFIX = "/registry/ranges/serviceips/";
  static final String PORT_PREFIX = "/registry/ranges/servicenodeports/";
  private static final int STATIC_BAND = 16;

  private final Store store;
  private final long base;
  private final int size;
  private final int portMin;
  private final int portMax;

  public ServiceAllocator(Store store, String cidr, int portMin, int portMax) {
    this.store = store;
    Ipv4Cidr range;
    try {
      range = Ipv4Cidr.parse(cidr);
    } catch (IllegalArgumentException e) {
      range = null;
    }
    if (range == null || range.prefix() < 8 || range.prefix() > 28) {
      throw new IllegalArgumentException("--service-cluster-ip-range must be an IPv4 range from /8 to /28: " + cidr);
    }
    this.base = range.base();
    this.size = (int) range.size();
    this.portMin = portMin;
    this.portMax = portMax;
  }

  /** Allocates what a new Service needs; on any failure, releases what it took. */
  public Service allocate(Service svc) {
    List<String> taken = new ArrayList<>();
    try {
      ServiceSpec.Builder spec = svc.getSpec().toBuilder();
      if (needsClusterIp(spec)) {
        String ip = spec.getClusterIp().isEmpty() ? allocateDynamicIp() : allocateIp(spec.getClusterIp());
        taken.add(IP_PREFIX + ip);
        spec.setClusterIp(ip).clearClusterIps().addClusterIps(ip);
      }
      if (usesNodePorts(spec)) {
        Set<Integer> inUse = new HashSet<>();
        for (ServicePort.Builder p : spec.getPortsBuilderList()) {
          int port = p.getNodePort() == 0 ? allocateDynamicPort(inUse) : allocatePort(p.getNodePort(), inUse);
          taken.add(PORT_PREFIX + port);
          p.setNodePort(port);
        }
      }
      return svc.toBuilder().setSpec(spec).build();
    } catch (Refused e) {
      release(taken);
      throw e.toApiException(svc);
    } catch (RuntimeException e) {
      release(taken);
      throw e;
    }
  }

  /**
   * What an update allocates: the Service with its node ports, the ports it newly took (given back
   * by {@link #rollback} if the write fails) and those it gave up (freed by {@link #commit} once
   * the write is in etcd: freeing them earlier would hand out ports a conflicting write still holds).
   */
  public final class Reallocation {
    private final Service service;
    private final List<String> taken;
    private final List<String> freed;

    private Reallocation(Service service, List<String> taken, List<String> freed) {
      this.service = service;
      this.taken = taken;
      this.freed = freed;
    }

    public Service service() {
      return service;
    }

    public void commit() {
      release(freed);
    }

    public void rollback() {
      release(taken);
    }
  }

  /**
   * An update keeps the ClusterIP and the node ports of ports that stay; new ports get new node
   * ports and ports that went away give theirs back, after the commit. A Service that stops being
   * ExternalName gets a ClusterIP; one that becomes ExternalName gives its own back.
   */
  public Reallocation reallocate(Service svc, Service old) {
    ServiceSpec.Builder spec = svc.getSpec().toBuilder();
    String oldIp = old.getSpec().getClusterIp();
    boolean externalName = spec.getType().equals("ExternalName");
    if (!externalName && spec.getClusterIp().isEmpty() && !oldIp.isEmpty()) {
      spec.setClusterIp(oldIp).clearClusterIps().addAllClusterIps(old.getSpec().getClusterIpsList());
    }
    Set<Integer> oldPorts = nodePorts(old.getSpec());
    Set<Integer> kept = new HashSet<>();
    List<String> taken = new ArrayList<>();
    List<String> freed = new ArrayList<>();
    try {
      // A type change gains or gives up the address (Kubernetes' allocateUpdate/releaseIPs): an
      // ExternalName Service turned ClusterIP asks the allocator, like a new one, so it can take
      // neither another Service's address nor one outside the range.
      if (needsClusterIp(spec) && oldIp.isEmpty()) {
        String ip = spec.getClusterIp().isEmpty() ? allocateDynamicIp() : allocateIp(spec.getClusterIp());
        taken.add(IP_PREFIX + ip);
        spec.setClusterIp(ip).clearClusterIps().addClusterIps(ip);
      } else if (externalName && !oldIp.isEmpty()) {
        spec.clearClusterIp().clearClusterIps();
        if (!oldIp.equals("None")) {
          freed.add(IP_PREFIX + oldIp);
        }
      }
      if (usesNodePorts(spec)) {
        Set<Integer> inUse = new HashSet<>();
        for (ServicePort.Builder p : spec.getPortsBuilderList()) {
          if (p.getNodePort() == 0) {
            p.setNodePort(previousNodePort(old.getSpec(), p));
          }
          if (p.getNodePort() != 0 && oldPorts.contains(p.getNodePort())) {
            kept.add(p.getNodePort());
            inUse.add(p.getNodePort());
            continue;
          }
          int port = p.getNodePort() == 0 ? allocateDynamicPort(inUse) : allocatePort(p.getNodePort(), inUse);
          taken.add(PORT_PREFIX + port);
          p.setNodePort(port);
        }
      }
    } catch (Refused e) {
      release(taken);
      throw e.toApiException(svc);
    } catch (RuntimeException e) {
      release(taken);
      throw e;
    }
    for (int p : oldPorts) {
      if (!kept.contains(p)) {
        freed.add(PORT_PREFIX + p);
      }
    }
    return new Reallocation(svc.toBuilder().setSpec(spec).build(), taken, freed);
  }

  /** Gives back everything a deleted Service held. */
  public void release(Service svc) {
    release(heldKeys(svc));
  }

  /** The allocation keys a stored Service holds: its ClusterIP's and its node ports'. */
  static List<String> heldKeys(Service svc) {
    List<String> keys = new ArrayList<>();
    String ip = svc.getSpec().getClusterIp();
    if (!ip.isEmpty() && !ip.equals("None")) {
      keys.add(IP_PREFIX + ip);
    }
    for (int p : nodePorts(svc.getSpec())) {
      keys.add(PORT_PREFIX + p);
    }
    return keys;
  }

  private static int previousNodePort(ServiceSpec old, ServicePort.Builder p) {
    for (ServicePort o : old.getPortsList()) {
      if (o.getPort() == p.getPort() && o.getProtocol().equals(p.getProtocol()) && o.getName().equals(p.getName())) {
        return o.getNodePort();
      }
    }
    return 0;
  }

  private static Set<Integer> nodePorts(ServiceSpec spec) {
    Set<Integer> out = new HashSet<>();
    for (ServicePort p : spec.getPortsList()) {
      if (p.getNodePort() != 0) {
        out.add(p.getNodePort());
      }
    }
    return out;
  }

  private static boolean needsClusterIp(ServiceSpec.Builder spec) {
    return !spec.getType().equals("ExternalName") && !spec.getClusterIp().equals("None");
  }

  private static boolean usesNodePorts(ServiceSpec.Builder spec) {
    return spec.getType().equals("NodePort") || spec.getType().equals("LoadBalancer");
  }

  private String allocateIp(String ip) {
    long v;
    try {
      v = Ipv4Cidr.address(ip);
    } catch (IllegalArgumentException e) {
      throw invalidIp(ip, "must be a valid IP address");
    }
    if (v <= base || v >= base + size - 1) {
      throw invalidIp(ip, "provided IP is not in the valid range. The range of valid IPs is " + cidr());
    }
    if (store.create(IP_PREFIX + ip, new byte[0]) < 0) {
      throw invalidIp(ip, "provided IP is already allocated");
    }
    return ip;
  }

  private String allocateDynamicIp() {
    // Random probing, then a scan: cheap while the range is sparse, and complete when it is full.
    int first = Math.min(STATIC_BAND, size / 4);
    int span = size - 1 - first;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 32; attempt++) {
      String ip = Ipv4Cidr.format(base + first + random.nextInt(span));
      if (store.create(IP_PREFIX + ip, new byte[0]) >= 0) {
        return ip;
      }
    }
    Set<String> used = new HashSet<>();
    for (Store.KeyValue kv : store.list(IP_PREFIX).items()) {
      used.add(kv.key().substring(IP_PREFIX.length()));
    }
    for (long v = base + 1; v < base + size - 1; v++) {
      String ip = Ipv4Cidr.format(v);
      if (!used.contains(ip) && store.create(IP_PREFIX + ip, new byte[0]) >= 0) {
        return ip;
      }
    }
    throw new Refused("spec.clusterIPs: Internal error: failed to allocate a serviceIP: range is full");
  }

  private int allocatePort(int port, Set<Integer> inUse) {
    if (port < portMin || port > portMax) {
      throw new Refused("spec.ports[].nodePort: Invalid value: " + port
          + ": provided port is not in the valid range. The range of valid ports is " + portMin + "-" + portMax);
    }
    if (!inUse.add(port) || store.create(PORT_PREFIX + port, new byte[0]) < 0) {
      throw new Refused("spec.ports[].nodePort: Invalid value: " + port + ": provided port is already allocated");
    }
    return port;
  }

  private int allocateDynamicPort(Set<Integer> inUse) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int span = portMax - portMin + 1;
    int start = random.nextInt(span);
    for (int i = 0; i < span; i++) {
      int port = portMin + (start + i) % span;
      if (!inUse.contains(port) && store.create(PORT_PREFIX + port, new byte[0]) >= 0) {
        inUse.add(port);
        return port;
      }
    }
    throw new Refused("spec.ports[].nodePort: Internal error: failed to allocate a nodePort: range is full");
  }

  /**
   * Best effort: a value that cannot be given back now (etcd unreachable) is left to the
   * {@link ServiceAllocatorRepair}, so that a write that did commit is never reported as failed.
   */
  private void release(List<String> keys) {
    for (String key : keys) {
      try {
        store.get(key).ifPresent(kv -> store.delete(key, kv.modRevision()));
      } catch (RuntimeException e) {
        log.warn("could not give back {} ({}); the allocator repair will", key, e.toString());
      }
    }
  }

  private String cidr() {
    return Ipv4Cidr.format(base) + "/" + (32 - Integer.numberOfTrailingZeros(size));
  }

  private static Refused invalidIp(String ip, String detail) {
    return new Refused("spec.clusterIPs: Invalid value: []string{\"" + ip + "\"}: " + detail);
  }

  /** An allocation refused; becomes Kubernetes' "Service "x" is invalid: field: ..." error. */
  private static final class Refused extends RuntimeException {
    Refused(String fieldError) {
      super(fieldError, null, false, false);
    }

    ApiException toApiException(Service svc) {
      return ApiException.invalid("Service \"" + svc.getMetadata().getName() + "\" is invalid: " + getMessage());
    }
  }
}
