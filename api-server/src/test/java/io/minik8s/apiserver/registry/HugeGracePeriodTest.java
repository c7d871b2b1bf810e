package io.minik8s.apiserver.registry;

import static io.minik8s.apiserver.registry.RegistryFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.DeleteRequest;
import io.minik8s.api.DeleteResponse;
import io.minik8s.api.Pod;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.Resources;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A grace period near Long.MAX_VALUE never makes a pod undeletable. */
@Timeout(30)
class HugeGracePeriodTest {
  static final long HUGE = Long.MAX_VALUE - 1;
  final RegistryFixture f = new RegistryFixture();

  Pod boundPod(String name, Long terminationGrace) {
    Pod.Builder b = pod(name).toBuilder();
    b.getSpecBuilder().setNodeName("node-1");
    if (terminationGrace != null) {
      b.getSpecBuilder().setTerminationGracePeriodSeconds(terminationGrace);
    }
    return (Pod) f.registry.create(b.build(), false);
  }

  static DeleteRequest delete(String name) {
    return DeleteRequest.newBuilder().setResource("pods").setNamespace("ns").setName(name).build();
  }

  @Test
  void aPodWithAHugeTerminationGracePeriodCanBeDeletedAndThenForceDeleted() {
    boundPod("p", HUGE);

    DeleteResponse marked = f.deleter.delete(delete("p"));

    Pod pod = (Pod) KubeObjects.unwrap(marked.getObject());
    assertThat(marked.getRemoved()).isFalse();
    assertThat(pod.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(Deleter.MAX_GRACE_PERIOD_SECONDS);
    assertThat(Instant.parse(pod.getMetadata().getDeletionTimestamp())).isAfter(Instant.now().plusSeconds(86400L * 365 * 200));
    // Every later delete still works: again (a no-op), then with grace 0 (the kubelet's confirmation).
    assertThat(f.deleter.delete(delete("p")).getRemoved()).isFalse();
    assertThat(f.deleter.delete(delete("p").toBuilder().setGracePeriodSeconds(0).build()).getRemoved()).isTrue();
    assertThat(f.registry.find(Resources.PODS, "ns", "p")).isEmpty();
  }

  @Test
  void aHugeGracePeriodInDeleteOptionsIsClampedToo() {
    boundPod("p", null);

    DeleteResponse marked = f.deleter.delete(delete("p").toBuilder().setGracePeriodSeconds(HUGE).build());

    Pod pod = (Pod) KubeObjects.unwrap(marked.getObject());
    // The delete's own grace period wins over the pod's 30 s, clamped; a later, shorter one moves it earlier.
    assertThat(pod.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(Deleter.MAX_GRACE_PERIOD_SECONDS);
    assertThat(f.deleter.delete(delete("p").toBuilder().setGracePeriodSeconds(5).build()).getRemoved()).isFalse();
    Pod shorter = (Pod) f.registry.get(Resources.PODS, "ns", "p");
    assertThat(shorter.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(5);
  }
}
