package io.minik8s.client.component;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The HTTP side every component serves: {@code /healthz} (the process works), {@code /readyz}
 * (it can do its job: every registered readiness check passes, and no {@link SupervisedLoops loop}
 * is stuck) and Prometheus {@code /metrics}.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/apiserver/pkg/server/healthz/healthz.go.
 */
public final class HealthServer implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, BooleanSupplier> readiness = new ConcurrentHashMap<>();
  private final Map<String, BooleanSupplier> liveness = new ConcurrentHashMap<>();
  private final SupervisedLoops loops;
  private final HttpServer server;

  public HealthServer(String component, String bindAddress, int port) throws IOException {
    this(component, bindAddress, port, Clock.systemUTC());
  }

  /** With the clock the loops' heartbeats are judged by. */
  public HealthServer(String component, String bindAddress, int port, Clock clock) throws IOException {
    loops = new SupervisedLoops(registry, clock);
    registry.config().commonTags("component", component);
    readiness.put("loops", loops::allHealthy);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/healthz", ex -> check(ex, liveness));
    server.createContext("/livez", ex -> check(ex, liveness));
    server.createContext("/readyz", ex -> check(ex, readiness));
    server.createContext("/metrics", ex -> respond(ex, 200, registry.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
    server.start();
  }

  public PrometheusMeterRegistry metrics() {
    return registry;
  }

  /** The component's supervised loops: counted in /metrics, a stuck one fails /readyz. */
  public SupervisedLoops loops() {
    return loops;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Adds a check to /readyz, e.g. "etcd" or "informers-synced". */
  public void addReadinessCheck(String name, BooleanSupplier check) {
    readiness.put(name, check);
  }

  /** Adds a check to /healthz and /readyz. */
  public void addHealthCheck(String name, BooleanSupplier check) {
    liveness.put(name, check);
    readiness.put(name, check);
  }

  private static void check(HttpExchange ex, Map<String, BooleanSupplier> checks) throws IOException {
    StringBuilder body = new StringBuilder();
    boolean ok = true;
    for (Map.Entry<String, BooleanSupplier> c : checks.entrySet()) {
      boolean pass;
      try {
        pass = c.getValue().getAsBoolean();
      } catch (Throwable e) {
        pass = false;
      }
      ok &= pass;
      body.append(pass ? "[+]" : "[-]").append(c.getKey()).append(pass ? " ok" : " failed").append('\n');
    }
    body.append(ok ? "ok\n" : "check failed\n");
    // Kubernetes answers a bare "ok" unless ?verbose is asked for.
    String query = ex.getRequestURI().getQuery();
    String text = ok && (query == null || !query.contains("verbose")) ? "ok" : body.toString();
    respond(ex, ok ? 200 : 503, text, "text/plain; charset=utf-8");
  }

  private static void respond(HttpExchange ex, int code, String text, String contentType) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    registry.close();
  }
}
