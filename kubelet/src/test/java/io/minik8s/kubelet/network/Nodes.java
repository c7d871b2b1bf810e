package io.minik8s.kubelet.network;

import io.minik8s.api.Node;
import io.minik8s.api.NodeAddress;
import io.minik8s.api.NodeSpec;
import io.minik8s.api.NodeStatus;
import io.minik8s.api.ObjectMeta;

/** Nodes as the agent sees them: a name, a pod CIDR, an InternalIP. */
final class Nodes {
  private Nodes() {}

  static Node node(String name, String podCidr, String internalIp) {
    NodeStatus.Builder status = NodeStatus.newBuilder()
        .addAddresses(NodeAddress.newBuilder().setType("Hostname").setAddress(name));
    if (!internalIp.isEmpty()) {
      status.addAddresses(NodeAddress.newBuilder().setType("InternalIP").setAddress(internalIp));
    }
    return Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name).setUid("uid-" + name))
        .setSpec(NodeSpec.newBuilder().setPodCidr(podCidr)).setStatus(status).build();
  }
}
