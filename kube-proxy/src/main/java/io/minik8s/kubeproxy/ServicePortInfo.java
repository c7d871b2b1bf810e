package io.minik8s.kubeproxy;

import java.util.List;

/**
 * One port of one Service as the proxy serves it: where it listens (ClusterIP:port, and the node
 * port if any) and the ready endpoints behind it. Recomputed from Services and Endpoints on
 * every change; the proxy diffs successive tables.
 */
public record ServicePortInfo(
    String name,          // namespace/service:port-name, for logs and metrics
    String clusterIp,     // empty for headless services: nothing to proxy
    int port,
    int nodePort,         // 0 when none
    String protocol,
    boolean clientIpAffinity,
    int affinityTimeoutSeconds,
    List<Endpoint> endpoints) {

  public record Endpoint(String ip, int port) {
    @Override
    public String toString() {
      return ip + ":" + port;
    }
  }

  /** What identifies a listener: a change of any of these means a new listener. */
  public String listenerKey() {
    return clusterIp + ":" + port + "/" + protocol + "|" + nodePort;
  }
}
