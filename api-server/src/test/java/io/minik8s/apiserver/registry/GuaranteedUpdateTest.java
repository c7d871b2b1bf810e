package io.minik8s.apiserver.registry;

import static io.minik8s.apiserver.registry.RegistryFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.api.Binding;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.ObjectReference;
import io.minik8s.api.Pod;
import io.minik8s.client.api.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** guaranteedUpdate retries a lost compare-and-swap, never an error its change function decided. */
@Timeout(30)
class GuaranteedUpdateTest {
  final RegistryFixture f = new RegistryFixture();

  static Binding binding(String pod, String node) {
    return Binding.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("ns").setName(pod))
        .setTarget(ObjectReference.newBuilder().setKind("Node").setName(node)).build();
  }

  @Test
  void bindingAnAlreadyBoundPodFailsAfterOneRead() {
    f.registry.create(pod("p"), false);
    f.subresources.bind(binding("p", "node-1"));
    int before = f.store.gets.get();

    assertThatThrownBy(() -> f.subresources.bind(binding("p", "node-2")))
        .hasMessageContaining("pod p is already assigned to node \"node-1\"");

    assertThat(f.store.gets.get() - before).as("store reads of the failed bind").isEqualTo(1);
  }

  @Test
  void aBindThatLosesItsCompareAndSwapIsRetriedOnTheFreshObject() {
    f.registry.create(pod("p"), false);
    String key = ObjectCodec.key(Resources.PODS, "ns", "p");
    f.store.modifyBeforeNextUpdate(key); // a kubelet's status write, say

    f.subresources.bind(binding("p", "node-1"));

    assertThat(((Pod) f.registry.get(Resources.PODS, "ns", "p")).getSpec().getNodeName()).isEqualTo("node-1");
  }
}
