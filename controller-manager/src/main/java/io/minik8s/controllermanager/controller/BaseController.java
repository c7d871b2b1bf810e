package io.minik8s.controllermanager.controller;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.client.workqueue.RateLimiter;
import io.minik8s.client.workqueue.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop every controller shares: handlers enqueue keys, N workers take a key, sync it and
 * mark it done; a failure comes back rate-limited, a success forgets the key's backoff. A
 * Throwable from one sync never kills a worker.
 */
public abstract class BaseController {
  private static final Logger log = LoggerFactory.getLogger(BaseController.class);

  private final String name;
  protected final Clock clock;
  protected final WorkQueue<String> queue;
  private final List<Thread> workers = new ArrayList<>();
  private Counter syncs;
  private Counter errors;

  protected BaseController(String name, Clock clock) {
    this.name = name;
    this.clock = clock;
    this.queue = new WorkQueue<>(new RateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(1000), 10, 100, clock), name);
    bindMetrics(new SimpleMeterRegistry());
  }

  public String name() {
    return name;
  }

  /** Converges the object with this key; throws to be retried. */
  public abstract void sync(String key) throws Exception;

  public void enqueue(String key) {
    queue.add(key);
  }

  public void enqueueAfter(String key, Duration delay) {
    queue.addAfter(key, delay);
  }

  public int queueDepth() {
    return queue.length();
  }

  public final void bindMetrics(MeterRegistry registry) {
    syncs = Counter.builder("controller_syncs_total").tag("controller", name).register(registry);
    errors = Counter.builder("controller_sync_errors_total").tag("controller", name).register(registry);
    Gauge.builder("workqueue_depth", queue, WorkQueue::length).tag("name", name).register(registry);
  }

  /** Called once the caches are synced, before the workers start. */
  protected void beforeWorkers() {}

  public synchronized void run(int workerCount) {
    beforeWorkers();
    for (int i = 0; i < workerCount; i++) {
      workers.add(Thread.ofPlatform().daemon().name(name + "-worker-" + i).start(this::work));
    }
  }

  public void stop() {
    queue.shutDown();
  }

  private void work() {
    while (true) {
      Optional<String> next;
      try {
        next = queue.get();
      } catch (InterruptedException e) {
        return;
      }
      if (next.isEmpty()) {
        return;
      }
      String key = next.get();
      try {
        sync(key);
        queue.forget(key);
        syncs.increment();
      } catch (Throwable t) {
        errors.increment();
        log.warn("{}: error syncing {}: {}", name, key, t.toString());
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  }
}
