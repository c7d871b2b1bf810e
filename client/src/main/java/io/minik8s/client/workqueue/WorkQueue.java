package io.minik8s.client.workqueue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The controllers' work queue (client-go's rate-limited workqueue). A key added several times
 * before a worker takes it is processed once; a key being processed is never handed to a second
 * worker — if it is added meanwhile it is queued again when the first worker calls
 * {@link #done}. Failed keys come back after the rate limiter's delay.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/client-go/util/workqueue/queue.go and rate_limiting_queue.go.
 */
public final class WorkQueue<K> implements AutoCloseable {
  private final ArrayDeque<K> queue = new ArrayDeque<>();
  private final Set<K> dirty = new HashSet<>();
  private final Set<K> processing = new HashSet<>();
  private final RateLimiter<K> limiter;
  private final ScheduledExecutorService delayer;
  private boolean shuttingDown;

  public WorkQueue(RateLimiter<K> limiter, String name) {
    this.limiter = limiter;
    this.delayer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "workqueue-" + name + "-delay");
      t.setDaemon(true);
      return t;
    });
  }

  public WorkQueue(String name) {
    this(RateLimiter.defaults(), name);
  }

  public synchronized void add(K key) {
    if (shuttingDown || dirty.contains(key)) {
      return;
    }
    dirty.add(key);
    if (processing.contains(key)) {
      return; // re-queued by done()
    }
    queue.addLast(key);
    notifyAll();
  }

  public void addAfter(K key, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      add(key);
      return;
    }
    synchronized (this) {
      if (shuttingDown) {
        return;
      }
    }
    delayer.schedule(() -> add(key), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Adds the key after its backoff: for a sync that failed. */
  public void addRateLimited(K key) {
    addAfter(key, limiter.when(key));
  }

  /** Clears the key's failure history: for a sync that succeeded. */
  public void forget(K key) {
    limiter.forget(key);
  }

  public int failures(K key) {
    return limiter.failures(key);
  }

  /** Blocks until a key is there; empty once the queue shuts down. */
  public synchronized Optional<K> get() throws InterruptedException {
    while (queue.isEmpty() && !shuttingDown) {
      wait();
    }
    if (queue.isEmpty()) {
      return Optional.empty();
    }
    K key = queue.pollFirst();
    processing.add(key);
    dirty.remove(key);
    return Optional.of(key);
  }

  /** Marks the key's processing finished; if it was added meanwhile, it is queued again. */
  public synchronized void done(K key) {
    processing.remove(key);
    if (dirty.contains(key)) {
      queue.addLast(key);
      notifyAll();
    }
  }

  public synchronized int length() {
    return queue.size();
  }

  public synchronized void shutDown() {
    shuttingDown = true;
    notifyAll();
    delayer.shutdownNow();
  }

  @Override
  public void close() {
    shutDown();
  }
}
