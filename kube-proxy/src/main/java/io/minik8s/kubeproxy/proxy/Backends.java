package io.minik8s.kubeproxy.proxy;

import io.minik8s.kubeproxy.ServicePortInfo.Endpoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The endpoints of one Service port and the choice among them: round robin, or with ClientIP
 * session affinity the endpoint this client used last (until it has been idle for the affinity
 * timeout or the endpoint went away). The list is replaced whole on every change, so a choice
 * never sees half an update.
 *
 * <p>Affinity entries never outlive their use, as in Kubernetes' userspace proxy
 * (pkg/proxy/userspace/roundrobin.go: an entry idle for the timeout is dropped, and so are the
 * entries of an endpoint that went away), and there are at most {@code maxClients} of them, the
 * least recently used going first, as the kernel's xt_recent list does for the iptables proxy
 * ({@code -m recent --reap}, ip_list_tot). A flood of client addresses costs bounded memory;
 * the entries of a Service that goes away go with its listener.
 */
public final class Backends {
  /** Default bound: 10,000 clients a Service port, about 1.5 MB (an entry is ~150 bytes). */
  public static final int MAX_CLIENTS = 10_000;

  private record Sticky(Endpoint endpoint, Instant lastUsed) {}

  private volatile List<Endpoint> endpoints = List.of();
  private final AtomicInteger next = new AtomicInteger();
  /** By client IP, least recently used first (every use moves the entry to the end). */
  private final LinkedHashMap<String, Sticky> affinity = new LinkedHashMap<>();
  private final boolean clientIpAffinity;
  private final Duration affinityTimeout;
  private final Clock clock;
  private final int maxClients;

  public Backends(boolean clientIpAffinity, Duration affinityTimeout, Clock clock) {
    this(clientIpAffinity, affinityTimeout, clock, MAX_CLIENTS);
  }

  public Backends(boolean clientIpAffinity, Duration affinityTimeout, Clock clock, int maxClients) {
    if (maxClients < 1) {
      throw new IllegalArgumentException("maxClients must be at least 1, was " + maxClients);
    }
    this.clientIpAffinity = clientIpAffinity;
    this.affinityTimeout = affinityTimeout;
    this.clock = clock;
    this.maxClients = maxClients;
  }

  public void set(List<Endpoint> newEndpoints) {
    endpoints = List.copyOf(newEndpoints);
    synchronized (affinity) {
      affinity.values().removeIf(s -> !endpoints.contains(s.endpoint()));
      reapExpired(clock.instant());
    }
  }

  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /** How many clients are remembered for session affinity. */
  public int affinityEntries() {
    synchronized (affinity) {
      return affinity.size();
    }
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
      Sticky s;
      synchronized (affinity) {
        s = affinity.get(clientIp);
      }
      if (s != null && current.contains(s.endpoint()) && !expired(s, clock.instant())) {
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
    if (!clientIpAffinity) {
      return;
    }
    Instant now = clock.instant();
    synchronized (affinity) {
      affinity.remove(clientIp); // re-inserted at the end: the most recently used
      affinity.put(clientIp, new Sticky(endpoint, now));
      reapExpired(now);
      Iterator<Sticky> oldest = affinity.values().iterator();
      while (affinity.size() > maxClients) {
        oldest.next();
        oldest.remove();
      }
    }
  }

  /** Entries are in order of last use, so the expired ones are a prefix. Holds the lock. */
  private void reapExpired(Instant now) {
    Iterator<Sticky> it = affinity.values().iterator();
    while (it.hasNext() && expired(it.next(), now)) {
      it.remove();
    }
  }

  private boolean expired(Sticky s, Instant now) {
    return !s.lastUsed().plus(affinityTimeout).isAfter(now);
  }
}
