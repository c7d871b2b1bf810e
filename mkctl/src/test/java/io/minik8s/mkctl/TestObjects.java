package io.minik8s.mkctl;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.ContainerState;
import io.minik8s.api.ContainerStateRunning;
import io.minik8s.api.ContainerStatus;
import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentSpec;
import io.minik8s.api.Event;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.ObjectReference;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodStatus;
import io.minik8s.api.PodTemplateSpec;

/** Objects as the api-server would hold them, for command tests. */
final class TestObjects {
  private TestObjects() {}

  static ObjectMeta.Builder meta(String namespace, String name) {
    return ObjectMeta.newBuilder().setNamespace(namespace).setName(name).setCreationTimestamp(FakeCluster.CREATED_AT);
  }

  static Pod runningPod(String namespace, String name, String app) {
    return Pod.newBuilder()
        .setMetadata(meta(namespace, name).putLabels("app", app))
        .setSpec(PodSpec.newBuilder().setNodeName("node-1")
            .addContainers(Container.newBuilder().setName("nginx").setImage("nginx:1.15.4")
                .addPorts(ContainerPort.newBuilder().setContainerPort(80).setProtocol("TCP"))))
        .setStatus(PodStatus.newBuilder().setPhase("Running").setPodIp("10.244.1.5").setHostIp("192.168.0.11")
            .addContainerStatuses(ContainerStatus.newBuilder().setName("nginx").setReady(true)
                .setState(ContainerState.newBuilder().setRunning(
                    ContainerStateRunning.newBuilder().setStartedAt("2024-05-01T10:00:05Z")))))
        .build();
  }

  static Deployment deployment(String namespace, String name, int replicas) {
    return Deployment.newBuilder()
        .setMetadata(meta(namespace, name).putLabels("app", name))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(replicas)
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", name))
            .setTemplate(PodTemplateSpec.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().putLabels("app", name))
                .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("nginx").setImage("nginx:1.15.4")))))
        .build();
  }

  static Event event(String namespace, String name, String kind, String object, String uid, String reason, String message) {
    return Event.newBuilder()
        .setMetadata(meta(namespace, name))
        .setInvolvedObject(ObjectReference.newBuilder().setKind(kind).setNamespace(namespace).setName(object).setUid(uid))
        .setType("Normal").setReason(reason).setMessage(message)
        .setSource(io.minik8s.api.EventSource.newBuilder().setComponent("default-scheduler"))
        .setFirstTimestamp("2024-05-01T10:59:50Z").setLastTimestamp("2024-05-01T10:59:50Z").setCount(1)
        .build();
  }
}
