package io.minik8s.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PodWorkersTest {
  static Pod pod(String uid, String rv) {
    return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setUid(uid).setName(uid).setResourceVersion(rv)).build();
  }

  @Test
  void keepsOnlyTheNewestPendingUpdateAndNeverOverwritesAPendingKill() throws Exception {
    List<String> done = new CopyOnWriteArrayList<>();
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    PodWorkers workers = new PodWorkers(Executors.newCachedThreadPool(), new PodWorkers.SyncHandler() {
      @Override
      public void sync(Pod pod) throws Exception {
        done.add("sync " + pod.getMetadata().getResourceVersion());
        blocked.await(5, TimeUnit.SECONDS);
      }

      @Override
      public void kill(Pod pod) {
        done.add("kill " + pod.getMetadata().getResourceVersion());
        finished.countDown();
      }
    });
    workers.update(pod("a", "1"), PodWorkers.UpdateType.SYNC);
    Thread.sleep(200); // the worker is now busy with version 1
    workers.update(pod("a", "2"), PodWorkers.UpdateType.SYNC);
    workers.update(pod("a", "3"), PodWorkers.UpdateType.KILL);
    workers.update(pod("a", "4"), PodWorkers.UpdateType.SYNC);
    blocked.countDown();
    assertThat(finished.await(5, TimeUnit.SECONDS)).isTrue();
    workers.update(pod("a", "5"), PodWorkers.UpdateType.SYNC);
    Thread.sleep(200);
    assertThat(done).containsExactly("sync 1", "kill 3");
    assertThat(workers.wasKilled("a")).isTrue();
  }
}
