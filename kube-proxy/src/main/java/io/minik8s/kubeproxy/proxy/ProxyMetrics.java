package io.minik8s.kubeproxy.proxy;

import io.micrometer.core.instrument.MeterRegistry;

/** Per-service counters: connections, bytes each way, errors by reason. */
public final class ProxyMetrics {
  private final MeterRegistry registry;

  public ProxyMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void connection(String service) {
    registry.counter("kubeproxy_connections_total", "service", service).increment();
  }

  void bytes(String service, String direction, long n) {
    registry.counter("kubeproxy_bytes_total", "service", service, "direction", direction).increment(n);
  }

  void error(String service, String reason) {
    registry.counter("kubeproxy_errors_total", "service", service, "reason", reason).increment();
  }
}
