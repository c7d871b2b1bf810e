package io.minik8s.apiserver.registry;

import io.minik8s.api.Container;
import io.minik8s.api.IntOrString;
import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.apiserver.storage.FakeStore;
import java.time.Clock;

/** A registry, its deleter and subresources over a {@link FakeStore}, with a namespace "ns" and a node "node-1". */
final class RegistryFixture {
  static final String IP_PREFIX = "/registry/ranges/serviceips/";
  static final String PORT_PREFIX = "/registry/ranges/servicenodeports/";

  final FakeStore store = new FakeStore();
  final ServiceAllocator allocator = new ServiceAllocator(store, "10.96.0.0/24", 30000, 30099);
  final Registry registry = new Registry(store, Clock.systemUTC(), allocator);
  final Deleter deleter = new Deleter(registry);
  final Subresources subresources = new Subresources(registry);

  RegistryFixture() {
    registry.create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("ns")).build(), false);
    registry.create(Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("node-1")).build(), false);
  }

  static Service nodePortService(String name, int nodePort) {
    return Service.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("ns").setName(name))
        .setSpec(ServiceSpec.newBuilder().setType("NodePort").putSelector("app", name)
            .addPorts(ServicePort.newBuilder().setPort(80).setTargetPort(IntOrString.newBuilder().setIntVal(8080))
                .setNodePort(nodePort)))
        .build();
  }

  static Pod pod(String name) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("ns").setName(name))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("app").setImage("busybox:1.36")))
        .build();
  }

  String serviceKey(String name) {
    return ObjectCodec.key(io.minik8s.client.api.Resources.SERVICES, "ns", name);
  }
}
