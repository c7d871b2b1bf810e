package io.minik8s.scheduler;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.Pod;
import io.minik8s.api.ResourceRequirements;
import io.minik8s.api.Taint;
import io.minik8s.api.Toleration;

/** Builders of pods and nodes for unit tests. */
public final class TestObjects {
  private TestObjects() {}

  public static Node.Builder node(String name, String cpu, String memory, int pods) {
    Node.Builder b = Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name).putLabels("kubernetes.io/hostname", name));
    b.getStatusBuilder().putAllocatable("cpu", cpu).putAllocatable("memory", memory).putAllocatable("pods", "" + pods)
        .addConditions(NodeCondition.newBuilder().setType("Ready").setStatus("True"));
    return b;
  }

  public static Node.Builder tainted(Node.Builder b, String key, String value, String effect) {
    b.getSpecBuilder().addTaints(Taint.newBuilder().setKey(key).setValue(value).setEffect(effect));
    return b;
  }

  public static Pod.Builder pod(String name, String cpu, String memory) {
    ResourceRequirements.Builder r = ResourceRequirements.newBuilder();
    if (cpu != null) {
      r.putRequests("cpu", cpu);
    }
    if (memory != null) {
      r.putRequests("memory", memory);
    }
    Pod.Builder b = Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("ns").setName(name).setUid("uid-" + name));
    b.getSpecBuilder().setSchedulerName("default-scheduler")
        .addContainers(Container.newBuilder().setName("app").setImage("busybox").setResources(r));
    return b;
  }

  public static Pod.Builder withHostPort(Pod.Builder b, int port) {
    b.getSpecBuilder().getContainersBuilder(0).addPorts(ContainerPort.newBuilder().setContainerPort(port).setHostPort(port));
    return b;
  }

  public static Pod.Builder ownedBy(Pod.Builder b, String uid) {
    b.getMetadataBuilder().addOwnerReferences(OwnerReference.newBuilder()
        .setKind("ReplicaSet").setName("rs").setUid(uid).setController(true));
    return b;
  }

  public static Toleration toleration(String key, String operator, String value, String effect) {
    return Toleration.newBuilder().setKey(key).setOperator(operator).setValue(value).setEffect(effect).build();
  }
}
