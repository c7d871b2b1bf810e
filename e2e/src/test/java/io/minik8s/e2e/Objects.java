package io.minik8s.e2e;

import com.google.protobuf.Message;
import io.minik8s.api.Container;
import io.minik8s.api.Event;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.ObjectReference;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.ReplicaSetSpec;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.Resources;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Builders of small test objects. */
final class Objects {
  private static final AtomicInteger counter = new AtomicInteger();

  private Objects() {}

  /** Creates a namespace with a unique name and returns the name. */
  static String freshNamespace(ApiClient client, String prefix) {
    String name = prefix + "-" + System.currentTimeMillis() % 100000 + "-" + counter.incrementAndGet();
    client.create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name)).build());
    return name;
  }

  /**
   * Deletes a namespace, its Services first: the namespace controller empties a namespace only
   * where a controller-manager runs, and their node ports must be free for the next test at once.
   */
  static void deleteNamespace(ApiClient client, String namespace) {
    for (Message svc : client.list(Resources.SERVICES, namespace, "")) {
      client.delete(Resources.SERVICES, namespace, KubeObjects.meta(svc).getName());
    }
    client.delete(Resources.NAMESPACES, "", namespace);
  }

  static Pod pod(String namespace, String name, Map<String, String> labels) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(namespace).setName(name).putAllLabels(labels))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("app").setImage("busybox:1.36")))
        .build();
  }

  /** An Event about pod "web" of the namespace. */
  static Event event(String namespace, String name, String message) {
    return Event.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(namespace).setName(name))
        .setInvolvedObject(ObjectReference.newBuilder().setKind("Pod").setNamespace(namespace).setName("web"))
        .setReason("Test").setMessage(message).setType("Normal").setCount(1)
        .build();
  }

  static ReplicaSet replicaSet(String namespace, String name, int replicas) {
    return ReplicaSet.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(namespace).setName(name))
        .setSpec(ReplicaSetSpec.newBuilder()
            .setReplicas(replicas)
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", name))
            .setTemplate(PodTemplateSpec.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().putLabels("app", name))
                .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("app").setImage("busybox:1.36")))))
        .build();
  }
}
