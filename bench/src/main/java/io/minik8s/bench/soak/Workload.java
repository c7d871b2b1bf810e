package io.minik8s.bench.soak;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.DeleteResponse;
import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentSpec;
import io.minik8s.api.DeploymentStrategy;
import io.minik8s.api.HTTPGetAction;
import io.minik8s.api.IntOrString;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.Probe;
import io.minik8s.api.RollingUpdateDeployment;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.client.api.Resources;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The soak's objects and its steady churn: a Service in front of a few Deployments of an HTTP
 * image (maxSurge 1, maxUnavailable 0, a readiness probe, so a rollout keeps serving), which are
 * scaled and rolled, and bare pods created and deleted. Every operation is paced by the pod
 * changes it causes, so that the churn stays under a rate (Kubernetes' steady-state envelope is
 * 20 pod changes per second), and is bounded in count: replicas 1..max per Deployment, at most
 * a fixed number of bare pods at once. Every write's outcome goes to the {@link AckLog}.
 */
final class Workload {
  static final String APP = "soak-web";
  static final String ROLLOUT = "soak.minik8s.io/rollout";
  static final int MAX_SURGE = 1;
  /** Conflicts, validation and the like: the write certainly did not commit. */
  private static final Set<Status.Code> NOT_COMMITTED = Set.of(Status.Code.ABORTED, Status.Code.ALREADY_EXISTS,
      Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND, Status.Code.FAILED_PRECONDITION,
      Status.Code.PERMISSION_DENIED);

  private final Api client;
  private final String namespace;
  private final int deployments;
  private final int maxReplicas;
  private final int maxBarePods;
  private final String image;
  private final double podChangesPerSecond;
  private final AckLog acks;
  private final Random random = new Random();
  private final Deque<String> barePods = new ArrayDeque<>();
  private int podSeq;
  private long operations;
  private long failedOperations;
  private long podChanges;

  Workload(Api client, String namespace, int deployments, int maxReplicas, int maxBarePods, String image,
      double podChangesPerSecond, AckLog acks) {
    this.client = client;
    this.namespace = namespace;
    this.deployments = deployments;
    this.maxReplicas = maxReplicas;
    this.maxBarePods = maxBarePods;
    this.image = image;
    this.podChangesPerSecond = podChangesPerSecond;
    this.acks = acks;
  }

  List<String> deploymentNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < deployments; i++) {
      names.add(APP + "-" + i);
    }
    return names;
  }

  /** The namespace, the Service and the Deployments (two replicas each); returns the ClusterIP. */
  String create() {
    client.create(Namespace.newBuilder().setApiVersion("v1").setKind("Namespace")
        .setMetadata(ObjectMeta.newBuilder().setName(namespace)).build());
    Service svc = client.create(Service.newBuilder().setApiVersion("v1").setKind("Service")
        .setMetadata(ObjectMeta.newBuilder().setNamespace(namespace).setName(APP))
        .setSpec(ServiceSpec.newBuilder().putSelector("app", APP)
            .addPorts(ServicePort.newBuilder().setPort(80).setTargetPort(IntOrString.newBuilder().setIntVal(80))))
        .build());
    acks.acked(Resources.SERVICES, svc, AckLog.Op.PUT, fingerprint(svc));
    for (String name : deploymentNames()) {
      Deployment d = client.create(deployment(name, 2));
      acks.acked(Resources.DEPLOYMENTS, d, AckLog.Op.PUT, fingerprint(d));
    }
    return svc.getSpec().getClusterIp();
  }

  private Deployment deployment(String name, int replicas) {
    return Deployment.newBuilder().setApiVersion("apps/v1").setKind("Deployment")
        .setMetadata(ObjectMeta.newBuilder().setNamespace(namespace).setName(name))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(replicas)
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", APP).putMatchLabels("deployment", name))
            .setStrategy(DeploymentStrategy.newBuilder().setType("RollingUpdate")
                .setRollingUpdate(RollingUpdateDeployment.newBuilder()
                    .setMaxSurge(IntOrString.newBuilder().setIntVal(MAX_SURGE))
                    .setMaxUnavailable(IntOrString.newBuilder().setIntVal(0))))
            .setTemplate(PodTemplateSpec.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().putLabels("app", APP).putLabels("deployment", name)
                    .putAnnotations(ROLLOUT, "0"))
                .setSpec(podSpec())))
        .build();
  }

  private PodSpec.Builder podSpec() {
    return PodSpec.newBuilder().setTerminationGracePeriodSeconds(2).addContainers(Container.newBuilder()
        .setName("http").setImage(image).addPorts(ContainerPort.newBuilder().setContainerPort(80))
        .setReadinessProbe(Probe.newBuilder().setPeriodSeconds(1)
            .setHttpGet(HTTPGetAction.newBuilder().setPath("/").setPort(IntOrString.newBuilder().setIntVal(80)))));
  }

  /** What the soak's writes set on an object: compared with etcd at the end. */
  static String fingerprint(Message obj) {
    if (obj instanceof Deployment d) {
      return "replicas=" + d.getSpec().getReplicas() + " rollout="
          + d.getSpec().getTemplate().getMetadata().getAnnotationsOrDefault(ROLLOUT, "?");
    }
    return "";
  }

  /** Churns until {@code stop} says so, one operation at a time, paced by its pod changes. */
  void churn(BooleanSupplier stop) throws InterruptedException {
    while (!stop.getAsBoolean()) {
      int changes;
      int pick = random.nextInt(10);
      if (pick < 4) {
        changes = scale();
      } else if (pick < 6) {
        changes = rollout();
      } else if (pick < 8 || barePods.isEmpty()) {
        changes = barePods.size() < maxBarePods ? createPod() : deletePod();
      } else {
        changes = deletePod();
      }
      synchronized (this) {
        operations++;
        podChanges += Math.max(changes, 0);
        if (changes < 0) {
          failedOperations++;
        }
      }
      long pause = (long) (Math.max(Math.abs(changes), 1) * 1000 / podChangesPerSecond);
      TimeUnit.MILLISECONDS.sleep(Math.max(pause, 100));
    }
  }

  private String randomDeployment() {
    return APP + "-" + random.nextInt(deployments);
  }

  /** Scales a Deployment to another replica count; the pod changes, or -1 when the write failed. */
  private int scale() {
    String name = randomDeployment();
    int[] delta = {0};
    boolean ok = updateDeployment(name, d -> {
      int from = d.getSpec().getReplicas();
      int to = 1 + random.nextInt(maxReplicas);
      if (to == from) {
        to = from == maxReplicas ? 1 : from + 1;
      }
      delta[0] = Math.abs(to - from);
      d.getSpecBuilder().setReplicas(to);
    });
    return ok ? delta[0] : -1;
  }

  /** Changes a Deployment's pod template: a rollout replaces every pod (one created, one deleted each). */
  private int rollout() {
    String name = randomDeployment();
    int[] replicas = {0};
    boolean ok = updateDeployment(name, d -> {
      var meta = d.getSpecBuilder().getTemplateBuilder().getMetadataBuilder();
      int next = Integer.parseInt(meta.getAnnotationsOrDefault(ROLLOUT, "0")) + 1;
      meta.putAnnotations(ROLLOUT, Integer.toString(next));
      replicas[0] = d.getSpec().getReplicas();
    });
    return ok ? 2 * replicas[0] : -1;
  }

  /** Read, change, compare-and-swap; a conflict is retried, any other failure leaves the write in doubt. */
  private boolean updateDeployment(String name, java.util.function.Consumer<Deployment.Builder> change) {
    for (int attempt = 0; attempt < 3; attempt++) {
      Deployment current;
      try {
        current = client.get(Resources.DEPLOYMENTS, namespace, name);
      } catch (StatusRuntimeException e) {
        return false; // a read: nothing was written
      }
      Deployment.Builder b = current.toBuilder();
      change.accept(b);
      Deployment wanted = b.build();
      try {
        Deployment updated = client.update(wanted);
        acks.acked(Resources.DEPLOYMENTS, updated, AckLog.Op.PUT, fingerprint(updated));
        return true;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.ABORTED) {
          continue; // a conflict: read again
        }
        if (!NOT_COMMITTED.contains(e.getStatus().getCode())) {
          acks.inDoubt(Resources.DEPLOYMENTS, namespace, name, AckLog.Op.PUT, current.getMetadata().getUid(),
              fingerprint(wanted));
        }
        return false;
      }
    }
    return false;
  }

  private int createPod() {
    String name = "soak-pod-" + podSeq++;
    Pod pod = Pod.newBuilder().setApiVersion("v1").setKind("Pod")
        .setMetadata(ObjectMeta.newBuilder().setNamespace(namespace).setName(name).putLabels("soak", "bare"))
        .setSpec(podSpec().setRestartPolicy("Always")).build();
    try {
      Pod created = client.create(pod);
      acks.acked(Resources.PODS, created, AckLog.Op.PUT, "");
      barePods.addLast(name);
      return 1;
    } catch (StatusRuntimeException e) {
      if (!NOT_COMMITTED.contains(e.getStatus().getCode())) {
        acks.inDoubt(Resources.PODS, namespace, name, AckLog.Op.PUT, "", "");
        barePods.addLast(name); // it may exist: delete it later like the others
      }
      return -1;
    }
  }

  private int deletePod() {
    String name = barePods.pollFirst();
    if (name == null) {
      return 0;
    }
    try {
      DeleteResponse r = client.delete(Resources.PODS, namespace, name);
      Pod last = r.getObject().getPod();
      acks.acked(Resources.PODS, last, AckLog.Op.DELETE, "");
      return 1;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return 0; // a create in doubt that never happened
      }
      if (!NOT_COMMITTED.contains(e.getStatus().getCode())) {
        acks.inDoubt(Resources.PODS, namespace, name, AckLog.Op.DELETE, "", "");
      }
      barePods.addLast(name); // try again later
      return -1;
    }
  }

  /** Every Deployment has all its replicas updated and available, as observed by its controller. */
  List<String> unconverged() {
    List<String> out = new ArrayList<>();
    for (String name : deploymentNames()) {
      Deployment d = client.get(Resources.DEPLOYMENTS, namespace, name);
      int want = d.getSpec().getReplicas();
      var s = d.getStatus();
      if (s.getObservedGeneration() < d.getMetadata().getGeneration() || s.getReplicas() != want
          || s.getUpdatedReplicas() != want || s.getAvailableReplicas() != want) {
        out.add(name + " (want " + want + ": replicas " + s.getReplicas() + ", updated " + s.getUpdatedReplicas()
            + ", available " + s.getAvailableReplicas() + ", observed generation " + s.getObservedGeneration() + "/"
            + d.getMetadata().getGeneration() + ")");
      }
    }
    return out;
  }

  synchronized long operations() {
    return operations;
  }

  synchronized long failedOperations() {
    return failedOperations;
  }

  synchronized long podChanges() {
    return podChanges;
  }

  /** Removes what the soak created (best effort: the namespace is the soak's own). */
  void delete() {
    for (String name : deploymentNames()) {
      quietly(() -> client.delete(Resources.DEPLOYMENTS, namespace, name));
    }
    quietly(() -> client.<Pod>list(Resources.PODS, namespace, "soak=bare")
        .forEach(p -> quietly(() -> client.delete(Resources.PODS, namespace, p.getMetadata().getName()))));
    quietly(() -> client.delete(Resources.SERVICES, namespace, APP));
    quietly(() -> client.delete(Resources.NAMESPACES, "", namespace));
  }

  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (StatusRuntimeException e) {
      // already gone, or the cluster is down: the namespace stays for a look
    }
  }
}
