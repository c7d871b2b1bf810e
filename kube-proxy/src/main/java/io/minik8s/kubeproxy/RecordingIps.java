package io.minik8s.kubeproxy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Service addresses put on an interface by another {@link VirtualIps}, remembered so that whoever
 * started a kube-proxy in-process (a test, a benchmark) can take off every address it added: a
 * kube-proxy itself leaves them for the other proxies of its host.
 */
public final class RecordingIps implements VirtualIps, AutoCloseable {
  private final VirtualIps ips;
  private final Set<String> added = ConcurrentHashMap.newKeySet();

  public RecordingIps(VirtualIps ips) {
    this.ips = ips;
  }

  /** Real /32 addresses on {@code lo}, as the kube-proxy binds them by default. */
  public static RecordingIps onLoopback() {
    return new RecordingIps(new LoopbackIps("lo"));
  }

  @Override
  public void add(String ip) {
    ips.add(ip);
    added.add(ip);
  }

  @Override
  public void remove(String ip) {
    ips.remove(ip);
    added.remove(ip);
  }

  @Override
  public void close() {
    for (String ip : Set.copyOf(added)) {
      remove(ip);
    }
  }
}
