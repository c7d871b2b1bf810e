package io.minik8s.apiserver.watch;

import io.minik8s.apiserver.registry.ObjectCodec;
import io.minik8s.apiserver.storage.Store;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** One {@link WatchCache} per resource, and the entry point for starting a client's watch. */
public final class WatchCaches implements AutoCloseable {
  private final Store store;
  private final Map<ResourceType, WatchCache> caches = new LinkedHashMap<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "watch-bookmarks");
    t.setDaemon(true);
    return t;
  });

  public WatchCaches(Store store, int windowCapacity, Duration bookmarkInterval) {
    this.store = store;
    for (ResourceType t : Resources.ALL) {
      caches.put(t, new WatchCache(t, store, windowCapacity));
    }
    long ms = bookmarkInterval.toMillis();
    ticker.scheduleAtFixedRate(() -> caches.values().forEach(WatchCache::sendBookmarks), ms, ms, TimeUnit.MILLISECONDS);
  }

  public void start() {
    caches.values().forEach(WatchCache::start);
  }

  public WatchCache cache(ResourceType type) {
    return caches.get(type);
  }

  /** Starts {@code watcher} from {@code fromRevision}: from the cache if it can, else from etcd. */
  public void watch(ResourceType type, String namespace, long fromRevision, Watcher watcher) {
    if (!caches.get(type).subscribe(watcher, fromRevision)) {
      DirectWatch.start(store, type, ObjectCodec.prefix(type, namespace), fromRevision, watcher);
    }
  }

  public int watcherCount() {
    return caches.values().stream().mapToInt(WatchCache::watcherCount).sum();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    caches.values().forEach(WatchCache::close);
  }
}
