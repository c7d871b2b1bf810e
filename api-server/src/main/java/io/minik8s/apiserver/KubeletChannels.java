package io.minik8s.apiserver;

import io.grpc.ManagedChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The api-server's channels to kubelets, one per node, so they never outgrow the cluster: a node
 * whose kubelet moved to another address gets a new channel and the old one is shut down; a
 * channel of a node that is gone, or that has carried no call for the idle timeout, is shut down
 * by {@link #sweep}. Shutting down lets calls in flight finish (a {@code logs -f} keeps going).
 */
final class KubeletChannels implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubeletChannels.class);

  private final Function<String, ManagedChannel> connect;
  private final Duration idleTimeout;
  private final Clock clock;
  private final Map<String, Entry> byNode = new HashMap<>();

  private static final class Entry {
    final String target;
    final ManagedChannel channel;
    int active;
    Instant lastUsed;

    Entry(String target, ManagedChannel channel, Instant now) {
      this.target = target;
      this.channel = channel;
      this.lastUsed = now;
    }
  }

  KubeletChannels(Function<String, ManagedChannel> connect, Duration idleTimeout, Clock clock) {
    this.connect = connect;
    this.idleTimeout = idleTimeout;
    this.clock = clock;
  }

  /** The channel to {@code node}'s kubelet at {@code target}, for one call; {@link #release} it after. */
  synchronized ManagedChannel acquire(String node, String target) {
    Entry e = byNode.get(node);
    if (e != null && !e.target.equals(target)) {
      log.info("kubelet of node {} moved from {} to {}: closing the old channel", node, e.target, target);
      e.channel.shutdown();
      e = null;
    }
    if (e == null) {
      e = new Entry(target, connect.apply(target), clock.instant());
      byNode.put(node, e);
    }
    e.active++;
    e.lastUsed = clock.instant();
    return e.channel;
  }

  /** The call on {@code channel} to {@code node} has ended. */
  synchronized void release(String node, ManagedChannel channel) {
    Entry e = byNode.get(node);
    if (e != null && e.channel == channel) {
      e.active--;
      e.lastUsed = clock.instant();
    }
  }

  /** Shuts down the channels of nodes that are gone and those idle past the timeout. */
  void sweep(Predicate<String> nodeExists) {
    Set<String> nodes;
    synchronized (this) {
      nodes = Set.copyOf(byNode.keySet());
    }
    for (String node : nodes) {
      boolean exists = nodeExists.test(node); // a registry read: not under the lock
      synchronized (this) {
        Entry e = byNode.get(node);
        if (e == null) {
          continue;
        }
        boolean idle = e.active == 0 && !e.lastUsed.plus(idleTimeout).isAfter(clock.instant());
        if (!exists || idle) {
          byNode.remove(node);
          e.channel.shutdown();
          log.info("closed the channel to node {}'s kubelet at {} ({})", node, e.target,
              exists ? "idle for " + idleTimeout : "the node is gone");
        }
      }
    }
  }

  synchronized int size() {
    return byNode.size();
  }

  @Override
  public synchronized void close() {
    byNode.values().forEach(e -> e.channel.shutdownNow());
    byNode.clear();
  }
}
