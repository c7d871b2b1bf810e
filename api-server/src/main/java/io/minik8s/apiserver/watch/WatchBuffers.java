package io.minik8s.apiserver.watch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The byte budget of every watcher's buffer, and what /metrics tells of it: the bytes waiting for
 * slow clients right now ({@code apiserver_watch_buffered_bytes}), and the watchers cut off for
 * falling behind ({@code apiserver_terminated_watchers_total}, Kubernetes' metric of the same name).
 */
public final class WatchBuffers {
  private final long limitPerWatcher;
  private final AtomicLong buffered = new AtomicLong();
  private final MeterRegistry metrics;

  public WatchBuffers(long limitPerWatcher, MeterRegistry metrics) {
    if (limitPerWatcher <= 0) {
      throw new IllegalArgumentException("--watch-buffer-bytes must be positive, got " + limitPerWatcher);
    }
    this.limitPerWatcher = limitPerWatcher;
    this.metrics = metrics;
    Gauge.builder("apiserver_watch_buffered_bytes", buffered, AtomicLong::get)
        .description("Bytes of watch events waiting for clients to read them").register(metrics);
  }

  long limitPerWatcher() {
    return limitPerWatcher;
  }

  void add(long bytes) {
    buffered.addAndGet(bytes);
  }

  void release(long bytes) {
    buffered.addAndGet(-bytes);
  }

  void terminated(String resource) {
    Counter.builder("apiserver_terminated_watchers_total").tag("resource", resource)
        .description("Watchers cut off because their client fell too far behind").register(metrics).increment();
  }

  public long bufferedBytes() {
    return buffered.get();
  }
}
