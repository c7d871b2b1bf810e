package io.minik8s.kubelet.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EndpointChangesTest {
  /** Network modes by container id, as Docker would report them. */
  final Map<String, String> modes = Map.of("pause-a", "minik8s-n1", "pause-b", "minik8s-n1",
      "app-a", "container:pause-a", "host-pod", "host");
  final AtomicInteger lookups = new AtomicInteger();
  final EndpointChanges changes = new EndpointChanges(id -> {
    lookups.incrementAndGet();
    return modes.get(id);
  });

  @Test
  void onlyContainersWithAnEndpointOfTheirOwnAreSerialized() {
    assertThat(EndpointChanges.hasEndpoint("minik8s-n1")).isTrue();
    assertThat(EndpointChanges.hasEndpoint("default")).isTrue();
    assertThat(EndpointChanges.hasEndpoint("container:abc")).isFalse();
    assertThat(EndpointChanges.hasEndpoint("host")).isFalse();
    assertThat(EndpointChanges.hasEndpoint("none")).isFalse();
    assertThat(EndpointChanges.hasEndpoint(null)).as("no such container").isFalse();
  }

  @Test
  @Timeout(10)
  void twoSandboxesNeverChangeTheirEndpointsAtTheSameTime() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 40; i++) {
        String id = i % 2 == 0 ? "pause-a" : "pause-b";
        pool.submit(() -> changes.run(id, () -> {
          most.accumulateAndGet(inside.incrementAndGet(), Math::max);
          sleep(2);
          inside.decrementAndGet();
        }));
      }
    }
    assertThat(most.get()).isEqualTo(1);
    assertThat(lookups.get()).as("each container's mode asked once").isEqualTo(2);
  }

  @Test
  @Timeout(10)
  void anAppContainerIsNotHeldUpBehindASandboxChange() throws Exception {
    CountDownLatch sandboxInside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      Future<?> sandbox = pool.submit(() -> changes.run("pause-a", () -> {
        sandboxInside.countDown();
        await(release);
      }));
      assertThat(sandboxInside.await(5, TimeUnit.SECONDS)).isTrue();
      Future<?> app = pool.submit(() -> changes.run("app-a", () -> {}));
      Future<?> hostPod = pool.submit(() -> changes.run("host-pod", () -> {}));
      app.get(5, TimeUnit.SECONDS); // would time out if it waited for the sandbox's change
      hostPod.get(5, TimeUnit.SECONDS);
      assertThat(sandbox.isDone()).isFalse();
      release.countDown();
      sandbox.get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aCreatedContainerIsKnownWithoutAskingAndForgottenWhenRemoved() {
    changes.created("new-pause", "minik8s-n1");
    changes.run("new-pause", () -> {});
    assertThat(lookups.get()).isZero();
    changes.removed("new-pause");
    changes.run("new-pause", () -> {});
    assertThat(lookups.get()).as("asked again after removal").isEqualTo(1);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
