package io.minik8s.client.informer;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexerTest {
  static Pod pod(String ns, String name, String node) {
    return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName(name))
        .setSpec(PodSpec.newBuilder().setNodeName(node)).build();
  }

  @Test
  void namedIndexesFollowUpdatesAndRemovals() {
    Indexer<Pod> idx = new Indexer<>();
    idx.addIndex("node", p -> List.of(p.getSpec().getNodeName()));
    idx.put(pod("a", "p1", "n1"));
    idx.put(pod("a", "p2", "n1"));
    idx.put(pod("b", "p3", "n2"));
    assertThat(idx.byIndex("node", "n1")).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("p1", "p2");

    idx.put(pod("a", "p2", "n2")); // moved
    assertThat(idx.byIndex("node", "n1")).extracting(p -> p.getMetadata().getName()).containsExactly("p1");
    assertThat(idx.byIndex("node", "n2")).hasSize(2);

    idx.remove("a/p1");
    assertThat(idx.byIndex("node", "n1")).isEmpty();
    assertThat(idx.byIndex(Indexer.NAMESPACE_INDEX, "a")).extracting(p -> p.getMetadata().getName()).containsExactly("p2");
    assertThat(idx.get("b", "p3")).isPresent();
  }

  @Test
  void anIndexAddedLaterCoversObjectsAlreadyThere() {
    Indexer<Pod> idx = new Indexer<>();
    idx.put(pod("a", "p1", "n1"));
    idx.addIndex("node", p -> List.of(p.getSpec().getNodeName()));
    assertThat(idx.byIndex("node", "n1")).hasSize(1);
  }
}
