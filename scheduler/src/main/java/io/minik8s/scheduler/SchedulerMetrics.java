package io.minik8s.scheduler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.minik8s.scheduler.queue.SchedulingQueue;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The scheduler's Prometheus metrics, named as kube-scheduler's. */
final class SchedulerMetrics {
  final Counter scheduled;
  final Counter unschedulable;
  final Counter error;
  final Timer e2eLatency;
  final Timer algorithmLatency;

  SchedulerMetrics(MeterRegistry registry, SchedulingQueue queue, BooleanSupplier leader) {
    scheduled = attempts(registry, "scheduled");
    unschedulable = attempts(registry, "unschedulable");
    error = attempts(registry, "error");
    e2eLatency = Timer.builder("scheduler_pod_scheduling_duration")
        .description("From a pod entering the queue to its binding being written")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(5))
        .register(registry);
    algorithmLatency = Timer.builder("scheduler_scheduling_algorithm_duration")
        .description("Time to filter and score the nodes for one pod")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(10_000))
        .maximumExpectedValue(Duration.ofSeconds(1))
        .register(registry);
    Gauge.builder("scheduler_pending_pods", queue, SchedulingQueue::activeLength).tag("queue", "active").register(registry);
    Gauge.builder("scheduler_pending_pods", queue, SchedulingQueue::backoffLength).tag("queue", "backoff").register(registry);
    Gauge.builder("scheduler_pending_pods", queue, SchedulingQueue::unschedulableLength)
        .tag("queue", "unschedulable").register(registry);
    Gauge.builder("leader_election_master_status", () -> leader.getAsBoolean() ? 1 : 0)
        .tag("name", "kube-scheduler").register(registry);
  }

  private static Counter attempts(MeterRegistry registry, String result) {
    return Counter.builder("scheduler_schedule_attempts").tag("result", result)
        .description("Scheduling attempts by result").register(registry);
  }
}
