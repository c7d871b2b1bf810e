package io.minik8s.bench.soak;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP requests through a Service the whole soak long: each of a few threads sends
 * {@code GET / HTTP/1.0} on a new connection to the ClusterIP (proxied by the kube-proxies), waits
 * for the answer, and counts it as failed unless it is a 200 within the timeout. Failures keep
 * their time, so each fault can be charged with the requests that failed while it lasted.
 */
final class Traffic implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MS = 1000;
  private static final int READ_TIMEOUT_MS = 3000;

  private final String host;
  private final int port;
  private final long pauseMillis;
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final ConcurrentLinkedQueue<Long> failures = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stopped;

  Traffic(String host, int port, long pauseMillis) {
    this.host = host;
    this.port = port;
    this.pauseMillis = pauseMillis;
  }

  void start(int clients) {
    for (int i = 0; i < clients; i++) {
      threads.add(Thread.ofPlatform().daemon().name("traffic-" + i).start(this::loop));
    }
  }

  private void loop() {
    while (!stopped) {
      if (get(host, port)) {
        ok.incrementAndGet();
      } else if (!stopped) {
        failed.incrementAndGet();
        failures.add(System.nanoTime());
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One GET / on a connection of its own: did it answer 200? */
  static boolean get(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      s.setSoTimeout(READ_TIMEOUT_MS);
      s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      return response.startsWith("HTTP/1.") && response.substring(0, Math.min(response.length(), 16)).contains(" 200");
    } catch (IOException e) {
      return false;
    }
  }

  long ok() {
    return ok.get();
  }

  long failed() {
    return failed.get();
  }

  /** Requests that failed between two {@link System#nanoTime()} instants. */
  long failedBetween(long fromNanos, long toNanos) {
    return failures.stream().filter(t -> t >= fromNanos && t <= toNanos).count();
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    for (Thread t : threads) {
      t.interrupt();
      t.join(5000);
    }
  }
}
