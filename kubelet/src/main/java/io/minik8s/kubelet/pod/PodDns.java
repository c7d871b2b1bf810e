package io.minik8s.kubelet.pod;

import io.minik8s.api.Pod;
import io.minik8s.api.PodDNSConfigOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod's resolver configuration, from its dnsPolicy as Kubernetes defines it: ClusterFirst
 * (the default) points at the cluster DNS with the search path
 * {@code <ns>.svc.<domain> svc.<domain> <domain>} and {@code ndots:5}; Default keeps the node's
 * resolver; None takes only the pod's dnsConfig, which otherwise is appended. Set on the pause
 * container: the app containers share its network namespace and resolv.conf.
 *
 * <p>Mirrors Kubernetes' pkg/kubelet/network/dns/dns.go.
 */
public record PodDns(List<String> nameservers, List<String> searches, List<String> options) {

  /** Null when the engine's default (the node's resolver) applies. */
  public static PodDns of(Pod pod, String clusterDns, String clusterDomain) {
    String policy = pod.getSpec().getDnsPolicy().isEmpty() ? "ClusterFirst" : pod.getSpec().getDnsPolicy();
    if (policy.equals("ClusterFirst") && pod.getSpec().getHostNetwork()) {
      policy = "Default"; // Kubernetes: ClusterFirst on the host network falls back to Default
    }
    List<String> servers = new ArrayList<>();
    List<String> searches = new ArrayList<>();
    List<String> options = new ArrayList<>();
    switch (policy) {
      case "ClusterFirst", "ClusterFirstWithHostNet" -> {
        if (clusterDns == null || clusterDns.isEmpty()) {
          return null; // no cluster DNS configured: Kubernetes falls back to Default too
        }
        String ns = pod.getMetadata().getNamespace();
        servers.add(clusterDns);
        searches.addAll(List.of(ns + ".svc." + clusterDomain, "svc." + clusterDomain, clusterDomain));
        options.add("ndots:5");
      }
      case "None" -> { }
      default -> {
        if (!pod.getSpec().hasDnsConfig()) {
          return null;
        }
      }
    }
    servers.addAll(pod.getSpec().getDnsConfig().getNameserversList());
    searches.addAll(pod.getSpec().getDnsConfig().getSearchesList());
    for (PodDNSConfigOption o : pod.getSpec().getDnsConfig().getOptionsList()) {
      options.removeIf(existing -> existing.split(":")[0].equals(o.getName()));
      options.add(o.hasValue() ? o.getName() + ":" + o.getValue() : o.getName());
    }
    return new PodDns(servers, searches, options);
  }
}
