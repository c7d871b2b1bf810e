package io.minik8s.controllermanager.testing;

import io.minik8s.api.Container;
import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentSpec;
import io.minik8s.api.DeploymentStrategy;
import io.minik8s.api.IntOrString;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.PersistentVolumeClaimSpec;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodStatus;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.ReplicaSetSpec;
import io.minik8s.api.ResourceRequirements;
import io.minik8s.api.RollingUpdateDeployment;
import io.minik8s.api.StatefulSet;
import io.minik8s.api.StatefulSetSpec;
import io.minik8s.controllermanager.controller.OwnerRefs;
import java.util.Map;

/** Small API objects for controller tests. */
public final class TestObjects {
  public static final String NS = "default";

  private TestObjects() {}

  public static PodTemplateSpec template(Map<String, String> labels, String image) {
    return PodTemplateSpec.newBuilder().setMetadata(ObjectMeta.newBuilder().putAllLabels(labels))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("app").setImage(image))).build();
  }

  public static ReplicaSet replicaSet(String name, int replicas, Map<String, String> labels) {
    return ReplicaSet.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(NS).setName(name).setUid("uid-" + name).setGeneration(1))
        .setSpec(ReplicaSetSpec.newBuilder().setReplicas(replicas)
            .setSelector(LabelSelector.newBuilder().putAllMatchLabels(labels))
            .setTemplate(template(labels, "busybox:1.36")))
        .build();
  }

  public static Pod pod(String name, Map<String, String> labels) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(NS).setName(name).setUid("uid-" + name).putAllLabels(labels))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("app").setImage("busybox:1.36")))
        .setStatus(PodStatus.newBuilder().setPhase("Pending"))
        .build();
  }

  public static Pod ownedBy(Pod pod, com.google.protobuf.Message owner) {
    return pod.toBuilder().setMetadata(pod.getMetadata().toBuilder().addOwnerReferences(OwnerRefs.controllerRef(owner))).build();
  }

  /** Scheduled, Running and Ready since {@code since}. */
  public static Pod running(Pod pod, String node, boolean ready, String since) {
    return pod.toBuilder()
        .setSpec(pod.getSpec().toBuilder().setNodeName(node))
        .setStatus(PodStatus.newBuilder().setPhase("Running").addConditions(PodCondition.newBuilder()
            .setType("Ready").setStatus(ready ? "True" : "False").setLastTransitionTime(since)))
        .build();
  }

  public static Pod created(Pod pod, String timestamp) {
    return pod.toBuilder().setMetadata(pod.getMetadata().toBuilder().setCreationTimestamp(timestamp)).build();
  }

  public static Deployment deployment(String name, int replicas, String maxSurge, String maxUnavailable) {
    return Deployment.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(NS).setName(name).setUid("uid-" + name).setGeneration(1))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(replicas)
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", name))
            .setTemplate(template(Map.of("app", name), "nginx:1.15.4"))
            .setStrategy(DeploymentStrategy.newBuilder().setType("RollingUpdate").setRollingUpdate(RollingUpdateDeployment.newBuilder()
                .setMaxSurge(intOrString(maxSurge)).setMaxUnavailable(intOrString(maxUnavailable))))
            .setRevisionHistoryLimit(10)
            .setProgressDeadlineSeconds(600))
        .build();
  }

  public static IntOrString intOrString(String v) {
    return v.endsWith("%") ? IntOrString.newBuilder().setStrVal(v).build()
        : IntOrString.newBuilder().setIntVal(Integer.parseInt(v)).build();
  }

  public static StatefulSet statefulSet(String name, int replicas, String policy) {
    return StatefulSet.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(NS).setName(name).setUid("uid-" + name).setGeneration(1))
        .setSpec(StatefulSetSpec.newBuilder().setReplicas(replicas).setServiceName(name).setPodManagementPolicy(policy)
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", name))
            .setTemplate(template(Map.of("app", name), "nginx:1.15.4"))
            .addVolumeClaimTemplates(PersistentVolumeClaim.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().setName("www"))
                .setSpec(PersistentVolumeClaimSpec.newBuilder().addAccessModes("ReadWriteOnce")
                    .setResources(ResourceRequirements.newBuilder().putRequests("storage", "1Gi"))))
            .setUpdateStrategy(io.minik8s.api.StatefulSetUpdateStrategy.newBuilder().setType("RollingUpdate")
                .setRollingUpdate(io.minik8s.api.RollingUpdateStatefulSetStrategy.newBuilder().setPartition(0)))
            .setRevisionHistoryLimit(10))
        .build();
  }
}
