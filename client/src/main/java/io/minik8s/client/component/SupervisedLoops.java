package io.minik8s.client.component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running loops of a component, watched. A pass of a loop that throws anything at all
 * (an Error too) is logged and counted in {@code loop_errors_total{loop=...}}, and the loop goes
 * on: a {@link ScheduledExecutorService} task that throws is never run again, and nobody notices
 * (Kubernetes' loops run under {@code wait.Until} with {@code runtime.HandleCrash} for the same
 * reason). Each loop also has a heartbeat: a periodic loop whose last pass ended more than its
 * stall limit ago is stuck (or its executor is gone), and {@link #healthy(String)} says so, which
 * the {@link HealthServer} turns into a failing {@code /readyz} check {@code loops}.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/apimachinery/pkg/util/runtime/runtime.go (HandleCrash) and
 * staging/src/k8s.io/apimachinery/pkg/util/wait/backoff.go (wait.Until).
 */
public final class SupervisedLoops {
  private static final Logger log = LoggerFactory.getLogger(SupervisedLoops.class);

  /** A pass of a loop; may throw anything. */
  @FunctionalInterface
  public interface Pass {
    void run() throws Exception;
  }

  private record Heartbeat(Duration stallAfter, Instant last) {}

  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();
  private final Map<String, Heartbeat> heartbeats = new ConcurrentHashMap<>();

  public SupervisedLoops(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * Runs one pass of {@code loop}: returns true if it completed, false if it threw (logged and
   * counted, never rethrown). An interrupt is kept for the caller to see.
   */
  public boolean runPass(String loop, Pass pass) {
    try {
      pass.run();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Throwable t) {
      failed(loop, t);
      return false;
    } finally {
      heartbeats.computeIfPresent(loop, (k, h) -> new Heartbeat(h.stallAfter(), clock.instant()));
    }
  }

  /** Records a pass of {@code loop} that failed with {@code t}, for loops that catch themselves. */
  public void failed(String loop, Throwable t) {
    counter(loop).increment();
    log.error("loop {} failed, continuing: {}", loop, t.toString(), t);
  }

  /**
   * Schedules {@code pass} every {@code period} after {@code initialDelay}; a pass that throws
   * does not end the schedule. The loop counts as stuck when no pass has ended for
   * {@code initialDelay + 3 * period} (and at least 30 s, so a slow but working pass is not).
   */
  public void scheduleWithFixedDelay(ScheduledExecutorService executor, String loop, Duration initialDelay,
                                     Duration period, Pass pass) {
    Duration stallAfter = period.multipliedBy(3).plus(initialDelay);
    if (stallAfter.compareTo(Duration.ofSeconds(30)) < 0) {
      stallAfter = Duration.ofSeconds(30);
    }
    heartbeats.put(loop, new Heartbeat(stallAfter, clock.instant()));
    counter(loop);
    executor.scheduleWithFixedDelay(() -> runPass(loop, pass), initialDelay.toMillis(), period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Whether {@code loop} has ended a pass within its stall limit (unknown loops are healthy). */
  public boolean healthy(String loop) {
    Heartbeat h = heartbeats.get(loop);
    return h == null || Duration.between(h.last(), clock.instant()).compareTo(h.stallAfter()) <= 0;
  }

  /** Whether every loop is healthy; a stuck one is named in the log each time this is asked. */
  public boolean allHealthy() {
    boolean ok = true;
    for (String loop : heartbeats.keySet()) {
      if (!healthy(loop)) {
        log.warn("loop {} is stuck: no pass ended since {}", loop, heartbeats.get(loop).last());
        ok = false;
      }
    }
    return ok;
  }

  /** How many passes of {@code loop} have failed. */
  public double errorCount(String loop) {
    return counter(loop).count();
  }

  private Counter counter(String loop) {
    return errors.computeIfAbsent(loop, l -> Counter.builder("loop_errors_total")
        .description("Passes of a long-running loop that threw; the loop goes on")
        .tag("loop", l).register(registry));
  }
}
