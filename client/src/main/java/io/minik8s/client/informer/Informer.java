package io.minik8s.client.informer;

import com.google.protobuf.Message;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.ListResponse;
import io.minik8s.api.Object;
import io.minik8s.api.WatchEvent;
import io.minik8s.api.WatchRequest;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a local copy of one resource in step with the api-server and tells handlers what
 * changed (client-go's SharedIndexInformer). Its reflector lists, replaces the cache (objects
 * that vanished become deletions), then watches from the list's resourceVersion; a broken watch
 * resumes from the last version seen, and an expired one ("too old resource version") lists again.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/client-go/tools/cache/shared_informer.go and reflector.go.
 */
public final class Informer<T extends Message> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Informer.class);

  private final ApiClient client;
  private final ResourceType type;
  private final WatchRequest base;
  private final Indexer<T> indexer = new Indexer<>();
  private final List<ResourceEventHandler<T>> handlers = new CopyOnWriteArrayList<>();
  private final CountDownLatch synced = new CountDownLatch(1);
  private volatile boolean stopped;
  private volatile Context.CancellableContext watchContext;
  private volatile String lastResourceVersion = "";
  private Thread thread;

  public Informer(ApiClient client, ResourceType type, String namespace, String labelSelector, String fieldSelector) {
    this.client = client;
    this.type = type;
    this.base = WatchRequest.newBuilder()
        .setResource(type.resource())
        .setNamespace(namespace == null ? "" : namespace)
        .setLabelSelector(labelSelector == null ? "" : labelSelector)
        .setFieldSelector(fieldSelector == null ? "" : fieldSelector)
        .setAllowWatchBookmarks(true)
        .build();
  }

  /** An informer over every object of the type in every namespace. */
  public Informer(ApiClient client, ResourceType type) {
    this(client, type, "", "", "");
  }

  public ResourceType type() {
    return type;
  }

  public Informer<T> addEventHandler(ResourceEventHandler<T> handler) {
    handlers.add(handler);
    return this;
  }

  public Informer<T> addIndex(String name, Function<T, List<String>> func) {
    indexer.addIndex(name, func);
    return this;
  }

  public Indexer<T> cache() {
    return indexer;
  }

  public synchronized void start() {
    if (thread == null) {
      thread = Thread.ofPlatform().daemon().name("informer-" + type.resource()).start(this::run);
    }
  }

  public boolean hasSynced() {
    return synced.getCount() == 0;
  }

  public boolean waitForSync(Duration timeout) throws InterruptedException {
    return synced.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The resourceVersion of the newest change the cache reflects. */
  public String lastSyncResourceVersion() {
    return lastResourceVersion;
  }

  private void run() {
    long backoffMs = 200;
    boolean needList = true;
    while (!stopped) {
      try {
        if (needList) {
          list();
          needList = false;
        }
        watch();
        backoffMs = 200;
      } catch (StatusRuntimeException e) {
        if (stopped) {
          return;
        }
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.OUT_OF_RANGE || code == Status.Code.RESOURCE_EXHAUSTED) {
          log.info("watch of {} expired ({}); listing again", type.resource(), e.getStatus().getDescription());
          needList = true;
        } else {
          log.warn("watch of {} failed: {}; retrying in {}ms", type.resource(), e.getStatus(), backoffMs);
          sleep(backoffMs);
          backoffMs = Math.min(backoffMs * 2, 5000);
        }
      } catch (Throwable e) { // an Error too: the informer's thread must never die and leave a stale cache
        if (stopped) {
          return;
        }
        log.warn("informer for {} failed: {}; retrying", type.resource(), e.toString());
        sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
        needList = true;
      }
    }
  }

  private void list() {
    ListResponse r = client.listRaw(type, base.getNamespace(), base.getLabelSelector(), base.getFieldSelector());
    Set<String> present = new HashSet<>();
    for (Object o : r.getItemsList()) {
      @SuppressWarnings("unchecked")
      T obj = (T) KubeObjects.unwrap(o);
      present.add(KubeObjects.key(obj));
      apply(obj);
    }
    for (String key : indexer.keys()) {
      if (!present.contains(key)) {
        T gone = indexer.remove(key);
        if (gone != null) {
          handlers.forEach(h -> h.onDelete(gone));
        }
      }
    }
    lastResourceVersion = r.getResourceVersion();
    synced.countDown();
  }

  private void watch() {
    WatchRequest req = base.toBuilder().setResourceVersion(lastResourceVersion).build();
    Context.CancellableContext ctx = Context.current().withCancellation();
    watchContext = ctx;
    try {
      ctx.run(() -> {
        Iterator<WatchEvent> events = client.blocking().watch(req);
        while (events.hasNext()) {
          handle(events.next());
        }
      });
    } finally {
      ctx.cancel(null);
    }
  }

  private void handle(WatchEvent e) {
    if (e.getType().equals("BOOKMARK")) {
      lastResourceVersion = e.getResourceVersion();
      return;
    }
    @SuppressWarnings("unchecked")
    T obj = (T) KubeObjects.unwrap(e.getObject());
    if (e.getType().equals("DELETED")) {
      T old = indexer.remove(KubeObjects.key(obj));
      handlers.forEach(h -> h.onDelete(old != null ? old : obj));
    } else {
      apply(obj);
    }
    lastResourceVersion = KubeObjects.meta(obj).getResourceVersion();
  }

  private void apply(T obj) {
    T old = indexer.put(obj);
    if (old == null) {
      handlers.forEach(h -> h.onAdd(obj));
    } else if (!KubeObjects.meta(old).getResourceVersion().equals(KubeObjects.meta(obj).getResourceVersion())) {
      handlers.forEach(h -> h.onUpdate(old, obj));
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stopped = true;
    Context.CancellableContext ctx = watchContext;
    if (ctx != null) {
      ctx.cancel(null);
    }
    if (thread != null) {
      thread.interrupt();
    }
  }
}
