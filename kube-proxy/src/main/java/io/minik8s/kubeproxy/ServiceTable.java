package io.minik8s.kubeproxy;

import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns Services and their Endpoints into what the proxy serves: for every TCP port of every
 * Service with a ClusterIP, the ready endpoints whose port has the same name (Kubernetes
 * matches a Service port to an Endpoints port by name).
 *
 * <p>Mirrors Kubernetes' pkg/proxy/servicechangetracker.go and pkg/proxy/endpointschangetracker.go.
 */
public final class ServiceTable {
  private ServiceTable() {}

  public static List<ServicePortInfo> build(Collection<Service> services, Function<String, Endpoints> endpointsByKey) {
    List<ServicePortInfo> out = new ArrayList<>();
    for (Service svc : services) {
      String ip = svc.getSpec().getClusterIp();
      if (ip.isEmpty() || ip.equals("None") || svc.getSpec().getType().equals("ExternalName")) {
        continue;
      }
      String key = svc.getMetadata().getNamespace() + "/" + svc.getMetadata().getName();
      Endpoints eps = endpointsByKey.apply(key);
      boolean affinity = svc.getSpec().getSessionAffinity().equals("ClientIP");
      int timeout = svc.getSpec().getSessionAffinityConfig().getClientIp().hasTimeoutSeconds()
          ? svc.getSpec().getSessionAffinityConfig().getClientIp().getTimeoutSeconds() : 10800;
      for (ServicePort p : svc.getSpec().getPortsList()) {
        String protocol = p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
        if (!protocol.equals("TCP")) {
          continue; // UDP and SCTP Services are not proxied (see the README)
        }
        out.add(new ServicePortInfo(key + ":" + p.getName(), ip, p.getPort(), p.getNodePort(), protocol,
            affinity, timeout, endpoints(eps, p.getName())));
      }
    }
    return out;
  }

  static List<ServicePortInfo.Endpoint> endpoints(Endpoints eps, String portName) {
    List<ServicePortInfo.Endpoint> out = new ArrayList<>();
    if (eps == null) {
      return out;
    }
    for (EndpointSubset subset : eps.getSubsetsList()) {
      for (EndpointPort port : subset.getPortsList()) {
        if (!port.getName().equals(portName)) {
          continue;
        }
        for (EndpointAddress a : subset.getAddressesList()) {
          out.add(new ServicePortInfo.Endpoint(a.getIp(), port.getPort()));
        }
      }
    }
    return out;
  }

  /** Ready pod IPs of a headless Service, and per hostname (StatefulSet pods), for DNS. */
  public static Map<String, List<String>> readyAddresses(Endpoints eps) {
    Map<String, List<String>> byHost = new java.util.LinkedHashMap<>();
    List<String> all = new ArrayList<>();
    for (EndpointSubset subset : eps.getSubsetsList()) {
      for (EndpointAddress a : subset.getAddressesList()) {
        if (!all.contains(a.getIp())) {
          all.add(a.getIp());
        }
        if (!a.getHostname().isEmpty()) {
          byHost.computeIfAbsent(a.getHostname(), h -> new ArrayList<>()).add(a.getIp());
        }
      }
    }
    byHost.put("", all);
    return byHost;
  }
}
