package io.minik8s.client.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.client.clock.FakeClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SupervisedLoopsTest {
  final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void shutDown() {
    release.countDown();
    executor.shutdownNow();
  }

  @Test
  void aPeriodicLoopThatThrowsAnErrorKeepsRunningAndCountsIt() {
    SupervisedLoops loops = new SupervisedLoops(new SimpleMeterRegistry(), Clock.systemUTC());
    AtomicInteger passes = new AtomicInteger();
    loops.scheduleWithFixedDelay(executor, "flaky", Duration.ZERO, Duration.ofMillis(10), () -> {
      if (passes.incrementAndGet() % 2 == 1) {
        throw new OutOfMemoryError("injected");
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> passes.get() >= 6);
    assertThat(loops.errorCount("flaky")).isGreaterThanOrEqualTo(3);
    assertThat(loops.allHealthy()).isTrue();
  }

  @Test
  void aLoopWhosePassNeverEndsIsStuck() {
    FakeClock clock = new FakeClock();
    SupervisedLoops loops = new SupervisedLoops(new SimpleMeterRegistry(), clock);
    AtomicInteger passes = new AtomicInteger();
    loops.scheduleWithFixedDelay(executor, "hangs", Duration.ZERO, Duration.ofSeconds(10), () -> {
      passes.incrementAndGet();
      release.await();
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> passes.get() == 1);
    clock.advance(Duration.ofSeconds(30));
    assertThat(loops.healthy("hangs")).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(loops.healthy("hangs")).isFalse();
    assertThat(loops.allHealthy()).isFalse();
  }

  @Test
  void theHealthServerShowsLoopErrorsInMetricsAndAStuckLoopInReadyz() throws Exception {
    FakeClock clock = new FakeClock();
    try (HealthServer health = new HealthServer("test", "127.0.0.1", 0, clock)) {
      CountDownLatch failed = new CountDownLatch(1);
      health.loops().scheduleWithFixedDelay(executor, "boom", Duration.ZERO, Duration.ofSeconds(60), () -> {
        failed.countDown();
        throw new StackOverflowError("injected");
      });
      failed.await();
      HttpClient http = HttpClient.newHttpClient();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(http, health, "/metrics").body())
          .containsPattern("loop_errors_total\\{[^}]*loop=\"boom\"[^}]*\\} 1\\.0"));
      assertThat(get(http, health, "/readyz").statusCode()).isEqualTo(200);
      // its next pass is a minute away; past 3 periods without one, the loop counts as stuck
      clock.advance(Duration.ofMinutes(4));
      HttpResponse<String> ready = get(http, health, "/readyz?verbose");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("[-]loops failed");
    }
  }

  private static HttpResponse<String> get(HttpClient http, HealthServer health, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
