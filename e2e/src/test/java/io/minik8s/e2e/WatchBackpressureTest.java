package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.minik8s.api.ApiGrpc;
import io.minik8s.api.Pod;
import io.minik8s.api.WatchEvent;
import io.minik8s.api.WatchRequest;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import io.minik8s.client.informer.Informer;
import io.minik8s.client.informer.ResourceEventHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Watch backpressure: a client that stops reading must not make the api-server buffer without
 * bound. Its watch is cut off as expired ("too old resource version") once its buffer passes the
 * byte limit, the api-server frees what it held, and an informer that stalled lists again.
 */
class WatchBackpressureTest {
  private static final long LIMIT = 4L * 1024 * 1024;
  private static final int PODS = 10;
  private static final int ROUNDS = 25;
  private static final int PAYLOAD = 200 * 1024; // 10 pods x 25 writes x 200 KiB = 50 MB of changes

  @Test
  @Timeout(600)
  void aWatcherThatNeverReadsIsCutOffAsExpiredWithItsBufferBoundedAndAStalledInformerListsAgain() throws Exception {
    ControlPlane cp = ControlPlane.shared();
    try (ApiServer server = ApiServer.start(ControlPlane.config(cp.etcd).withWatchBufferBytes(LIMIT));
        ApiClient client = ControlPlane.connect("127.0.0.1:" + server.port())) {
      Metrics metrics = new Metrics(server.healthPort());
      String ns = Objects.freshNamespace(client, "backpressure");
      String rv = client.listRaw(Resources.PODS, ns, "", "").getResourceVersion();

      StalledWatch stalled = StalledWatch.start(client.servers(),
          WatchRequest.newBuilder().setResource("pods").setNamespace(ns).setResourceVersion(rv).build());
      CountDownLatch release = new CountDownLatch(1);
      try (Informer<Pod> informer = new Informer<Pod>(client, Resources.PODS, ns, "", "")) {
        informer.addEventHandler(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            awaitQuietly(release); // a handler stuck on something: the informer stops reading its watch
          }
        });
        informer.start();
        assertThat(informer.waitForSync(Duration.ofSeconds(30))).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> metrics.value("apiserver_watchers") == 2);
        double listsBefore = metrics.sum("apiserver_request_duration_seconds_count", "verb=\"list\"", "resource=\"pods\"");

        BufferSampler sampler = new BufferSampler(metrics);
        // Few pods, often rewritten: 50 MB of changes while a list stays small.
        for (int round = 0; round < ROUNDS; round++) {
          String payload = String.valueOf((char) ('a' + round)).repeat(PAYLOAD);
          for (int i = 0; i < PODS; i++) {
            Pod p = round == 0 ? Objects.pod(ns, "big-" + i, Map.of("app", "big")) : client.get(Resources.PODS, ns, "big-" + i);
            p = p.toBuilder().setMetadata(p.getMetadata().toBuilder().putAnnotations("payload", payload)).build();
            if (round == 0) {
              client.create(p);
            } else {
              client.update(p);
            }
          }
        }

        // Both stalled watchers are cut off: the api-server no longer holds them.
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> metrics.value("apiserver_watchers") == 0);
        sampler.stop();
        assertThat(sampler.error.get()).as("sampling the api-server's buffered bytes").isNull();
        assertThat(sampler.max.get()).as("bytes the api-server buffered for its watchers at most")
            .isGreaterThan(0).isLessThanOrEqualTo(2 * (LIMIT + PAYLOAD + 64 * 1024));
        assertThat(metrics.value("apiserver_watch_buffered_bytes")).isZero();
        assertThat(metrics.sum("apiserver_terminated_watchers_total")).isEqualTo(2);

        // The raw client, reading at last, gets what was in flight and then "too old": list again.
        stalled.readEverything();
        Status end = stalled.awaitClose();
        assertThat(end.getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
        assertThat(end.getDescription()).contains("too old resource version");
        assertThat(stalled.received.get()).isLessThan(PODS * ROUNDS / 2);

        // The informer, unstuck, lists again and ends with every pod as it is now.
        release.countDown();
        Map<String, String> now = new java.util.TreeMap<>();
        for (Pod p : client.<Pod>list(Resources.PODS, ns, "")) {
          now.put(p.getMetadata().getName(), p.getMetadata().getResourceVersion());
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
          Map<String, String> cached = new java.util.TreeMap<>();
          informer.cache().list().forEach(p -> cached.put(p.getMetadata().getName(), p.getMetadata().getResourceVersion()));
          return cached.equals(now);
        });
        assertThat(metrics.sum("apiserver_request_duration_seconds_count", "verb=\"list\"", "resource=\"pods\""))
            .isGreaterThan(listsBefore);
      } finally {
        release.countDown();
        stalled.cancel();
        for (int i = 0; i < PODS; i++) {
          client.find(Resources.PODS, ns, "big-" + i).ifPresent(p -> client.delete(Resources.PODS, ns,
              ((Pod) p).getMetadata().getName()));
        }
      }
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A raw watch with manual flow control that asks for no message until told to. */
  static final class StalledWatch {
    final AtomicInteger received = new AtomicInteger();
    final AtomicReference<Status> closed = new AtomicReference<>();
    private final ManagedChannel channel;
    private final ClientCall<WatchRequest, WatchEvent> call;

    private StalledWatch(String target, WatchRequest request) {
      this.channel = NettyChannelBuilder.forTarget(target).sslContext(TestPki.shared().admin().sslContext().orElseThrow()).build();
      this.call = channel.newCall(ApiGrpc.getWatchMethod(), CallOptions.DEFAULT);
      call.start(new ClientCall.Listener<>() {
        @Override
        public void onMessage(WatchEvent message) {
          received.incrementAndGet();
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
          closed.set(status);
        }
      }, new Metadata());
      call.sendMessage(request);
      call.halfClose();
    }

    static StalledWatch start(String target, WatchRequest request) {
      return new StalledWatch(target, request);
    }

    void readEverything() {
      call.request(Integer.MAX_VALUE);
    }

    Status awaitClose() {
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> closed.get() != null);
      return closed.get();
    }

    void cancel() throws InterruptedException {
      call.cancel("test over", null);
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Reads the api-server's buffered watch bytes every 50 ms and keeps the highest. */
  static final class BufferSampler {
    final AtomicLong max = new AtomicLong();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopped;

    BufferSampler(Metrics metrics) {
      thread = Thread.ofPlatform().daemon().name("buffer-sampler").start(() -> {
        while (!stopped) {
          try {
            max.accumulateAndGet((long) metrics.value("apiserver_watch_buffered_bytes"), Math::max);
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          } catch (Throwable t) {
            error.compareAndSet(null, t);
            return;
          }
        }
      });
    }

    void stop() throws InterruptedException {
      stopped = true;
      thread.join(5000);
    }
  }

  /** The api-server's Prometheus /metrics, read fresh each time. */
  static final class Metrics {
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI uri;

    Metrics(int healthPort) {
      this.uri = URI.create("http://127.0.0.1:" + healthPort + "/metrics");
    }

    /** The value of a metric that must be there (summed over its series). */
    double value(String name) throws Exception {
      String text = scrape();
      if (!Pattern.compile("(?m)^" + name + "[ {]").matcher(text).find()) {
        throw new AssertionError("metric " + name + " not found in:\n" + text);
      }
      return sumIn(text, name);
    }

    /** The sum over every series of {@code name} whose labels contain all of {@code labels}; 0 if none. */
    double sum(String name, String... labels) throws Exception {
      return sumIn(scrape(), name, labels);
    }

    private static double sumIn(String text, String name, String... labels) {
      double total = 0;
      Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? (\\S+)$").matcher(text);
      while (m.find()) {
        String l = m.group(1) == null ? "" : m.group(1);
        boolean all = true;
        for (String want : labels) {
          all &= l.contains(want);
        }
        if (all) {
          total += Double.parseDouble(m.group(2));
        }
      }
      return total;
    }

    private String scrape() throws Exception {
      return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    }
  }
}
