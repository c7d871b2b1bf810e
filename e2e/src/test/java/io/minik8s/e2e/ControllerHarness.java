package io.minik8s.e2e;

import com.google.protobuf.Message;
import io.minik8s.api.Event;
import io.minik8s.api.Pod;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import io.minik8s.controllermanager.ControllerManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * The controller-manager in-process against the shared control plane, without leader election
 * (each test class starts and closes its own, so no controller outlives the class that needs it),
 * plus the waits the controller tests share. Waits are generous: other builds share the machine.
 */
final class ControllerHarness implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(90);

  final ControlPlane cp = ControlPlane.shared();
  final ApiClient client = cp.client;
  final ControllerManager manager;

  ControllerHarness() throws Exception {
    this(Duration.ofSeconds(40), Duration.ofSeconds(5), 300);
  }

  ControllerHarness(Duration nodeGrace, Duration nodeMonitorPeriod, long defaultTolerationSeconds) throws Exception {
    manager = ControllerManager.start(ControllerManager.Options.defaults(cp.server())
        .withLeaderElect(false).withHealthPort(0)
        .withNodeMonitoring(nodeGrace, nodeMonitorPeriod, defaultTolerationSeconds));
  }

  static ConditionFactory await() {
    return Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200));
  }

  static <T> T eventually(Callable<T> value, java.util.function.Predicate<T> until) {
    return await().until(value, until::test);
  }

  String namespace(String prefix) {
    return Objects.freshNamespace(client, prefix);
  }

  List<Pod> pods(String ns, String selector) {
    return client.list(Resources.PODS, ns, selector);
  }

  List<Pod> activePods(String ns, String selector) {
    return pods(ns, selector).stream().filter(p -> p.getMetadata().getDeletionTimestamp().isEmpty()).toList();
  }

  /** "reason: message" of every event about objects in the namespace. */
  List<String> events(String ns) {
    return client.<Event>list(Resources.EVENTS, ns, "").stream().map(e -> e.getReason() + ": " + e.getMessage()).toList();
  }

  <T extends Message> T get(io.minik8s.client.api.ResourceType type, String ns, String name) {
    return client.get(type, ns, name);
  }

  Mkctl.Result mkctl(String ns, String... args) {
    String[] full = new String[args.length + 2];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "-n";
    full[args.length + 1] = ns;
    return Mkctl.run(cp.server(), full);
  }

  @Override
  public void close() {
    manager.close();
  }
}
