package io.minik8s.scheduler;

import static io.minik8s.scheduler.TestObjects.node;
import static io.minik8s.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.Binding;
import io.minik8s.api.Empty;
import io.minik8s.api.Pod;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.clock.FakeClock;
import io.minik8s.client.component.SupervisedLoops;
import io.minik8s.client.events.EventRecorder;
import io.minik8s.scheduler.cache.SchedulerCache;
import io.minik8s.scheduler.framework.Framework;
import io.minik8s.scheduler.queue.SchedulingQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scheduling loop against fakes: an informer map and a binder that holds every binding
 * until the test answers it. A StatefulSet pod deleted and recreated under the same name while
 * its binding is in flight must be scheduled at once (it has a new UID), and the old one's queue
 * entry must die with its failed binding; and no Throwable may stop the loop.
 */
@Timeout(30)
class SchedulerLoopTest {
  final FakeClock clock = new FakeClock();
  final SchedulerCache cache = new SchedulerCache(clock, Duration.ofSeconds(30));
  final SchedulingQueue queue = new SchedulingQueue(clock);
  final EventHandlers handlers = new EventHandlers(cache, queue, "default-scheduler");
  final Map<String, Pod> informer = new ConcurrentHashMap<>();
  final List<Binding> bindings = new ArrayList<>();
  final List<StreamObserver<Empty>> answers = new ArrayList<>();
  final ApiClient nowhere = ApiClient.connect("127.0.0.1:1"); // events go nowhere
  final EventRecorder recorder = new EventRecorder(nowhere, "default-scheduler", "test", clock);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final SupervisedLoops loops = new SupervisedLoops(registry, clock);
  volatile Error bindFails;
  final Scheduler scheduler = new Scheduler((b, result) -> {
    if (bindFails != null) {
      Error e = bindFails;
      bindFails = null;
      throw e;
    }
    synchronized (bindings) {
      bindings.add(b);
      answers.add(result);
    }
  }, cache, queue, Framework.defaults(new Random(1)), recorder,
      new SchedulerMetrics(registry, queue, () -> true), clock,
      key -> Optional.ofNullable(informer.get(key)), loops);

  @AfterEach
  void close() {
    scheduler.stop();
    queue.close();
    recorder.close();
    nowhere.close();
  }

  private Pod webZero(String uid) {
    Pod p = pod("web-0", "100m", "64Mi").build();
    return p.toBuilder().setMetadata(p.getMetadata().toBuilder().setUid(uid)).build();
  }

  private void created(Pod p) {
    informer.put(KubeObjects.key(p), p);
    handlers.pods().onAdd(p);
  }

  private void deleted(Pod p) {
    informer.remove(KubeObjects.key(p));
    handlers.pods().onDelete(p);
  }

  @Test
  void aPodRecreatedUnderTheSameNameIsScheduledWhileTheOldOneIsStillAssumed() throws Exception {
    handlers.nodes().onAdd(node("n1", "4", "8Gi", 110).build());
    Pod old = webZero("uid-old");
    created(old);
    assertThat(scheduler.scheduleOne()).isTrue();
    assertThat(bindings).hasSize(1);

    // The StatefulSet controller deletes web-0 and creates it again before the binding answers.
    deleted(old);
    Pod fresh = webZero("uid-new");
    created(fresh);
    assertThat(scheduler.scheduleOne()).isTrue();
    assertThat(bindings).as("the new web-0 is bound, not skipped as the old one's assumption").hasSize(2);
    assertThat(bindings.get(1).getMetadata().getUid()).isEqualTo("uid-new");

    // The old binding fails (its pod is gone): its entry must not come back to the queue.
    answers.get(0).onError(Status.NOT_FOUND.withDescription("pods \"web-0\" not found").asRuntimeException());
    answers.get(1).onCompleted();
    clock.advance(Duration.ofMinutes(1));
    queue.flushBackoffQCompleted();
    assertThat(queue.activeLength() + queue.backoffLength() + queue.unschedulableLength())
        .as("nothing left to schedule").isZero();
    assertThat(cache.isAssumed("uid-old")).isFalse();
    assertThat(cache.isAssumed("uid-new")).isTrue();
  }

  @Test
  void theOldEntryOfARecreatedPodIsNotRequeuedWhenItsBindingFails() throws Exception {
    handlers.nodes().onAdd(node("n1", "4", "8Gi", 110).build());
    Pod old = webZero("uid-old");
    created(old);
    assertThat(scheduler.scheduleOne()).isTrue();
    // The old binding fails while the new web-0 already exists, unscheduled.
    deleted(old);
    Pod fresh = webZero("uid-new");
    informer.put(KubeObjects.key(fresh), fresh);
    answers.get(0).onError(Status.ABORTED.withDescription("uid precondition failed").asRuntimeException());
    clock.advance(Duration.ofMinutes(1));
    queue.flushBackoffQCompleted();
    assertThat(queue.activeLength() + queue.backoffLength()).as("the old pod's entry is not requeued").isZero();
  }

  @Test
  void anErrorInOnePassDoesNotStopTheLoop() {
    handlers.nodes().onAdd(node("n1", "4", "8Gi", 110).build());
    bindFails = new OutOfMemoryError("injected");
    Thread loop = Thread.ofPlatform().daemon().start(scheduler::run);
    created(pod("a", "100m", "64Mi").build());
    await().atMost(Duration.ofSeconds(10)).until(() -> loops.errorCount(Scheduler.LOOP) == 1);
    created(pod("b", "100m", "64Mi").build());
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      synchronized (bindings) {
        return bindings.stream().anyMatch(b -> b.getMetadata().getName().equals("b"));
      }
    });
    assertThat(loop.isAlive()).isTrue();
    assertThat(registry.get("loop_errors_total").tag("loop", "scheduling").counter().count()).isEqualTo(1);
  }
}
