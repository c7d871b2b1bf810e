package io.minik8s.apiserver.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.minik8s.api.Service;
import io.minik8s.apiserver.storage.Store;
import io.minik8s.client.component.SupervisedLoops;
import io.minik8s.client.api.Resources;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the {@link ServiceAllocator}'s keys from the Services, at start and then periodically
 * (Kubernetes' pkg/registry/core/service/ipallocator/controller/repair.go and
 * portallocator/controller/repair.go). A write that failed at the wrong moment (a timeout after
 * etcd committed, a crash between two writes) can leave an allocation no Service holds, or a
 * Service whose allocation is gone, which another Service could then be given.
 *
 * <p>A value a Service holds but that is not allocated is taken again. A value allocated but held
 * by no Service is a leak only if it is still there, unchanged, on the next pass: a create in
 * flight allocates before it writes its Service, and must not lose its value in between
 * (Kubernetes waits some passes the same way). Releases compare the key's revision, so a value
 * given back and taken again meanwhile is left alone.
 */
public final class ServiceAllocatorRepair implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceAllocatorRepair.class);
  public static final String LOOP = "service-allocator-repair";

  /** What one pass fixed. */
  public record Result(int retaken, int released, int suspected) {}

  private final Store store;
  private final Counter retakenIps;
  private final Counter retakenPorts;
  private final Counter releasedIps;
  private final Counter releasedPorts;
  private final SupervisedLoops loops;
  /** Allocation keys held by no Service on the last pass, with their revision then. */
  private Map<String, Long> suspected = new HashMap<>();
  private ScheduledExecutorService timer;

  public ServiceAllocatorRepair(Store store, MeterRegistry metrics, SupervisedLoops loops) {
    this.store = store;
    this.loops = loops;
    this.retakenIps = counter(metrics, "clusterip", "retaken");
    this.retakenPorts = counter(metrics, "nodeport", "retaken");
    this.releasedIps = counter(metrics, "clusterip", "released");
    this.releasedPorts = counter(metrics, "nodeport", "released");
  }

  private static Counter counter(MeterRegistry metrics, String range, String action) {
    return Counter.builder("apiserver_service_allocator_repairs_total")
        .description("Allocations the repair loop fixed: retaken for a Service, or released as leaked")
        .tag("range", range).tag("action", action).register(metrics);
  }

  /**
   * Runs a pass now and then every {@code interval}, as the component's supervised loop
   * {@value #LOOP}: a failed pass is logged, counted in {@code loop_errors_total} and retried next
   * time, and a pass stuck for long fails {@code /readyz}.
   */
  public synchronized void start(Duration interval) {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, LOOP);
      t.setDaemon(true);
      return t;
    });
    loops.scheduleWithFixedDelay(timer, LOOP, Duration.ZERO, interval.isZero() ? Duration.ofMillis(1) : interval,
        this::runOnce);
  }

  /** One pass: allocations are read before Services, so a create in flight looks leaked, never missing. */
  public synchronized Result runOnce() {
    Map<String, Long> allocated = new HashMap<>();
    for (String prefix : new String[] {ServiceAllocator.IP_PREFIX, ServiceAllocator.PORT_PREFIX}) {
      for (Store.KeyValue kv : store.list(prefix).items()) {
        allocated.put(kv.key(), kv.modRevision());
      }
    }
    Map<String, String> held = new HashMap<>();
    for (Store.KeyValue kv : store.list(ObjectCodec.prefix(Resources.SERVICES, "")).items()) {
      Service svc = (Service) ObjectCodec.decode(Resources.SERVICES, kv);
      for (String key : ServiceAllocator.heldKeys(svc)) {
        String other = held.putIfAbsent(key, svc.getMetadata().getNamespace() + "/" + svc.getMetadata().getName());
        if (other != null) {
          log.warn("{} is held by two Services, {} and {}/{}: one must be changed", value(key), other,
              svc.getMetadata().getNamespace(), svc.getMetadata().getName());
        }
      }
    }
    int retaken = 0;
    for (Map.Entry<String, String> e : held.entrySet()) {
      if (!allocated.containsKey(e.getKey()) && store.create(e.getKey(), new byte[0]) >= 0) {
        retaken++;
        (isIp(e.getKey()) ? retakenIps : retakenPorts).increment();
        log.warn("{} of Service {} was not allocated: repaired", value(e.getKey()), e.getValue());
      }
    }
    int released = 0;
    Map<String, Long> leaks = new HashMap<>();
    Set<String> keys = new HashSet<>(allocated.keySet());
    keys.removeAll(held.keySet());
    for (String key : keys) {
      long revision = allocated.get(key);
      if (suspected.getOrDefault(key, -1L) != revision) {
        leaks.put(key, revision); // first seen: maybe a create in flight; decided next pass
      } else if (store.delete(key, revision) >= 0) {
        released++;
        (isIp(key) ? releasedIps : releasedPorts).increment();
        log.warn("{} was allocated but no Service holds it: released", value(key));
      }
    }
    suspected = leaks;
    return new Result(retaken, released, leaks.size());
  }

  private static boolean isIp(String key) {
    return key.startsWith(ServiceAllocator.IP_PREFIX);
  }

  private static String value(String key) {
    return isIp(key)
        ? "ClusterIP " + key.substring(ServiceAllocator.IP_PREFIX.length())
        : "node port " + key.substring(ServiceAllocator.PORT_PREFIX.length());
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
