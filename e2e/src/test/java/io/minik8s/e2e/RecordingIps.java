package io.minik8s.e2e;

import io.minik8s.kubeproxy.LoopbackIps;
import io.minik8s.kubeproxy.VirtualIps;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real /32 addresses on lo, as the kube-proxy binds them, remembered so that a test can take off
 * every address its proxy added (a kube-proxy leaves them for the other proxies of its host).
 */
final class RecordingIps implements VirtualIps, AutoCloseable {
  private final LoopbackIps lo = new LoopbackIps("lo");
  private final Set<String> added = ConcurrentHashMap.newKeySet();

  @Override
  public void add(String ip) {
    lo.add(ip);
    added.add(ip);
  }

  @Override
  public void remove(String ip) {
    lo.remove(ip);
    added.remove(ip);
  }

  @Override
  public void close() {
    for (String ip : Set.copyOf(added)) {
      remove(ip);
    }
  }
}
