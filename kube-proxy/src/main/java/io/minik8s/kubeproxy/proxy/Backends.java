package io.minik8s.kubeproxy.proxy;

import io.minik8s.kubeproxy.ServicePortInfo.Endpoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The endpoints of one Service port and the choice among them: round robin, or with ClientIP
 * session affinity the endpoint this client used last (until it has been idle for the affinity
 * timeout or the endpoint went away). The list is replaced whole on every change, so a choice
 * never sees half an update.
 */
public final class Backends {
  private record Sticky(Endpoint endpoint, Instant lastUsed) {}

  private volatile List<Endpoint> endpoints = List.of();
  private final AtomicInteger next = new AtomicInteger();
  private final Map<String, Sticky> affinity = new ConcurrentHashMap<>();
  private final boolean clientIpAffinity;
  private final Duration affinityTimeout;
  private final Clock clock;

  public Backends(boolean clientIpAffinity, Duration affinityTimeout, Clock clock) {
    this(clientIpAffinity, affinityTimeout, clock, 0);
  }

  public Backends(boolean clientIpAffinity, Duration affinityTimeout, Clock clock, int maxClients) {
    this.clientIpAffinity = clientIpAffinity;
    this.affinityTimeout = affinityTimeout;
    this.clock = clock;
  }

  public void set(List<Endpoint> newEndpoints) {
    endpoints = List.copyOf(newEndpoints);
    affinity.values().removeIf(s -> !endpoints.contains(s.endpoint()));
  }

  public int affinityEntries() {
    return affinity.size();
  }

  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /**
   * The endpoints to try for a new connection from {@code clientIp}, best first: the chosen one,
   * then the others in order, so that a refused connection can move on to the next.
   */
  public List<Endpoint> candidates(String clientIp) {
    List<Endpoint> current = endpoints;
    if (current.isEmpty()) {
      return current;
    }
    int first = Math.floorMod(next.getAndIncrement(), current.size());
    if (clientIpAffinity) {
      Sticky s = affinity.get(clientIp);
      Instant now = clock.instant();
      if (s != null && current.contains(s.endpoint()) && s.lastUsed().plus(affinityTimeout).isAfter(now)) {
        first = current.indexOf(s.endpoint());
      }
    }
    List<Endpoint> out = new ArrayList<>(current.size());
    for (int i = 0; i < current.size(); i++) {
      out.add(current.get((first + i) % current.size()));
    }
    return out;
  }

  /** Records the endpoint a client's connection went to, for session affinity. */
  public void used(String clientIp, Endpoint endpoint) {
    if (clientIpAffinity) {
      affinity.put(clientIp, new Sticky(endpoint, clock.instant()));
    }
  }
}
