package io.minik8s.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

class PodWorkersTest {
  static Pod pod(String uid, String rv) {
    return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setUid(uid).setName(uid).setResourceVersion(rv)).build();
  }

  /** Records what the workers did; a sync waits for {@code release} once it has said it started. */
  static final class Recording implements PodWorkers.SyncHandler {
    final List<String> done = new CopyOnWriteArrayList<>();
    final CountDownLatch syncStarted = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void sync(Pod pod) throws Exception {
      done.add("sync " + pod.getMetadata().getUid() + " " + pod.getMetadata().getResourceVersion());
      syncStarted.countDown();
      assertThat(release.await(10, TimeUnit.SECONDS)).as("released").isTrue();
    }

    @Override
    public void kill(Pod pod) {
      done.add("kill " + pod.getMetadata().getUid() + " " + pod.getMetadata().getResourceVersion());
    }
  }

  @Test
  void keepsOnlyTheNewestPendingUpdateAndNeverOverwritesAPendingKill() throws Exception {
    Recording handler = new Recording();
    PodWorkers workers = new PodWorkers(Executors.newCachedThreadPool(), handler);
    workers.update(pod("a", "1"), PodWorkers.UpdateType.SYNC);
    assertThat(handler.syncStarted.await(10, TimeUnit.SECONDS)).isTrue(); // the worker is now busy with version 1
    workers.update(pod("a", "2"), PodWorkers.UpdateType.SYNC);
    workers.update(pod("a", "3"), PodWorkers.UpdateType.KILL);
    workers.update(pod("a", "4"), PodWorkers.UpdateType.SYNC);
    handler.release.countDown();
    await().until(() -> workers.wasKilled("a"));
    workers.update(pod("a", "5"), PodWorkers.UpdateType.SYNC);
    // One worker per UID takes updates in order: once a later kill ran, the sync before it had its turn.
    workers.update(pod("a", "6"), PodWorkers.UpdateType.KILL);
    await().until(() -> handler.done.contains("kill a 6"));
    assertThat(handler.done).containsExactly("sync a 1", "kill a 3", "kill a 6");
  }

  @Test
  void aKilledPodIsForgottenOnceNeitherTheApiNorTheRuntimeHasIt() {
    Recording handler = new Recording();
    PodWorkers workers = new PodWorkers(Executors.newCachedThreadPool(), handler);
    for (int i = 0; i < 100; i++) {
      workers.update(pod("uid-" + i, "1"), PodWorkers.UpdateType.KILL);
    }
    await().until(() -> workers.killedCount() == 100);

    // uid-7 is still in the API (terminating) and uid-8 still has containers: both stay killed.
    workers.syncKnownPods(Set.of("uid-7", "uid-8"));
    assertThat(workers.killedCount()).isEqualTo(2);
    assertThat(workers.wasKilled("uid-7")).isTrue();
    assertThat(workers.wasKilled("uid-8")).isTrue();
    assertThat(workers.wasKilled("uid-9")).isFalse();

    workers.syncKnownPods(Set.of());
    assertThat(workers.killedCount()).isZero();
  }

  private static ConditionFactory await() {
    return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10));
  }
}
