package io.minik8s.e2e;

import com.google.protobuf.Message;
import io.minik8s.api.Deployment;
import io.minik8s.api.Event;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.StatefulSet;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
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
        .withNodeMonitoring(nodeGrace, nodeMonitorPeriod, defaultTolerationSeconds), TestPki.shared().controllerManager());
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

  /**
   * Makes the controller of a ReplicaSet, Deployment or StatefulSet sync it once more, and
   * waits for that sync: the positive signal that replaces "sleep, then check that nothing else
   * happened". It bumps spec.minReadySeconds, a new generation that changes nothing these tests
   * look at, and waits until status.observedGeneration reaches it. Syncs of one key never
   * overlap, and this one started after the change, so whatever the controller was going to do
   * about the earlier state is done (and in the API) when this returns.
   */
  static void resync(ApiClient client, ResourceType type, String ns, String name) {
    long generation = await().ignoreExceptionsInstanceOf(io.grpc.StatusRuntimeException.class)
        .until(() -> bumpMinReadySeconds(client, type, ns, name), g -> g > 0);
    await().until(() -> observedGeneration(client.get(type, ns, name)) >= generation);
  }

  /** The new generation (a conflict with the controller's own writes throws, and is retried). */
  private static long bumpMinReadySeconds(ApiClient client, ResourceType type, String ns, String name) {
    Message updated = switch (client.<Message>get(type, ns, name)) {
      case ReplicaSet rs -> client.update(rs.toBuilder()
          .setSpec(rs.getSpec().toBuilder().setMinReadySeconds(rs.getSpec().getMinReadySeconds() + 1)).build());
      case Deployment d -> client.update(d.toBuilder()
          .setSpec(d.getSpec().toBuilder().setMinReadySeconds(d.getSpec().getMinReadySeconds() + 1)).build());
      case StatefulSet s -> client.update(s.toBuilder()
          .setSpec(s.getSpec().toBuilder().setMinReadySeconds(s.getSpec().getMinReadySeconds() + 1)).build());
      default -> throw new IllegalArgumentException("no observedGeneration in " + type.resource());
    };
    return KubeObjects.meta(updated).getGeneration();
  }

  private static long observedGeneration(Message obj) {
    return switch (obj) {
      case ReplicaSet rs -> rs.getStatus().getObservedGeneration();
      case Deployment d -> d.getStatus().getObservedGeneration();
      case StatefulSet s -> s.getStatus().getObservedGeneration();
      default -> throw new IllegalArgumentException("no observedGeneration in " + obj.getClass().getSimpleName());
    };
  }

  void resync(ResourceType type, String ns, String name) {
    resync(client, type, ns, name);
  }

  /**
   * Runs {@code touch}, which must make the controller sync {@code keys} keys, and waits until it
   * has finished at least that many more syncs with nothing left in its queue (its
   * controller_syncs_total and workqueue_depth on /metrics). For controllers that write nothing
   * a test could see when there is nothing to do (the garbage collector, the node lifecycle).
   */
  void awaitSyncs(String controller, int keys, Runnable touch) {
    double before = metric("controller_syncs_total", "controller", controller);
    touch.run();
    await().until(() -> metric("controller_syncs_total", "controller", controller) >= before + keys
        && metric("workqueue_depth", "name", controller) == 0);
  }

  /** An update that changes nothing but an annotation, so that every handler of pods sees the pod again. */
  void touch(Pod pod) {
    Pod fresh = get(io.minik8s.client.api.Resources.PODS, pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    client.update(fresh.toBuilder().setMetadata(fresh.getMetadata().toBuilder()
        .putAnnotations("e2e.minik8s.io/touched", String.valueOf(System.nanoTime()))).build());
  }

  /** One sample of the manager's /metrics, by name and one label. */
  double metric(String name, String label, String value) {
    return Metrics.sample(manager.healthPort(), name, label, value);
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
