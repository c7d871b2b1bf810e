package io.minik8s.kubeproxy.dns;

import io.minik8s.api.Endpoints;
import io.minik8s.api.Service;
import io.minik8s.kubeproxy.ServiceTable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The cluster's names, as Kubernetes' DNS specification gives them:
 * {@code <svc>.<ns>.svc.<domain>} is the Service's ClusterIP, or for a headless Service the IPs
 * of its ready pods, and {@code <hostname>.<svc>.<ns>.svc.<domain>} is the pod with that
 * hostname behind the Service (a StatefulSet pod). Names outside the cluster domain are not
 * answered: this server never forwards a query anywhere.
 *
 * <p>Mirrors CoreDNS's github.com/coredns/coredns/plugin/kubernetes.
 */
public final class ClusterDns {
  /** An answer: the addresses, or why there are none. */
  public record Answer(Outcome outcome, List<String> addresses) {
    public enum Outcome { FOUND, NO_SUCH_NAME, NOT_OURS }
  }

  private final String domain;
  private final Function<String, Optional<Service>> services;
  private final Function<String, Optional<Endpoints>> endpoints;

  public ClusterDns(String domain, Function<String, Optional<Service>> services,
      Function<String, Optional<Endpoints>> endpoints) {
    this.domain = domain.toLowerCase(Locale.ROOT);
    this.services = services;
    this.endpoints = endpoints;
  }

  public Answer resolve(String queryName) {
    String name = queryName.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    String suffix = ".svc." + domain;
    if (!name.endsWith(suffix)) {
      return name.equals(domain) || name.endsWith("." + domain)
          ? new Answer(Answer.Outcome.NO_SUCH_NAME, List.of())
          : new Answer(Answer.Outcome.NOT_OURS, List.of());
    }
    String[] labels = name.substring(0, name.length() - suffix.length()).split("\\.");
    if (labels.length == 2) {
      return service(labels[1], labels[0]);
    }
    if (labels.length == 3) {
      return pod(labels[2], labels[1], labels[0]);
    }
    return new Answer(Answer.Outcome.NO_SUCH_NAME, List.of());
  }

  private Answer service(String namespace, String name) {
    Optional<Service> svc = services.apply(namespace + "/" + name);
    if (svc.isEmpty()) {
      return new Answer(Answer.Outcome.NO_SUCH_NAME, List.of());
    }
    String ip = svc.get().getSpec().getClusterIp();
    if (!ip.isEmpty() && !ip.equals("None")) {
      return new Answer(Answer.Outcome.FOUND, List.of(ip));
    }
    List<String> ready = endpoints.apply(namespace + "/" + name)
        .map(e -> ServiceTable.readyAddresses(e).get(""))
        .orElse(List.of());
    return new Answer(Answer.Outcome.FOUND, ready);
  }

  private Answer pod(String namespace, String service, String hostname) {
    Map<String, List<String>> byHost = endpoints.apply(namespace + "/" + service)
        .map(ServiceTable::readyAddresses)
        .orElse(Map.of());
    List<String> ips = byHost.get(hostname);
    return ips == null || hostname.isEmpty()
        ? new Answer(Answer.Outcome.NO_SUCH_NAME, List.of())
        : new Answer(Answer.Outcome.FOUND, ips);
  }
}
