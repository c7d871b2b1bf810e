package io.minik8s.apiserver.watch;

import io.grpc.Status;
import io.minik8s.apiserver.storage.Store;
import io.minik8s.client.api.ResourceType;
import java.util.List;

/**
 * A watch served straight from etcd's history, for a resourceVersion older than the cache's
 * window (after an api-server restart, say). Costs one etcd watch per client; etcd tells us if
 * the revision has been compacted, and the client is told to list again.
 */
final class DirectWatch implements Store.WatchListener {
  private final ResourceType type;
  private final Watcher watcher;

  private DirectWatch(ResourceType type, Watcher watcher) {
    this.type = type;
    this.watcher = watcher;
  }

  static void start(Store store, ResourceType type, String prefix, long fromRevision, Watcher watcher) {
    DirectWatch dw = new DirectWatch(type, watcher);
    AutoCloseable handle = store.watch(prefix, fromRevision + 1, dw);
    Runnable close = () -> {
      try {
        handle.close();
      } catch (Exception ignored) {
        // closing a finished etcd watch
      }
    };
    watcher.onStop(close);
    if (watcher.stopped()) {
      close.run(); // it ended before it could be told how to close
    }
  }

  @Override
  public void onChanges(List<Store.Change> changes) {
    for (Store.Change c : changes) {
      WatchEventRecord e = WatchEventRecord.of(type, c, null);
      if (e != null) {
        watcher.offer(e);
      }
    }
  }

  @Override
  public void onError(Throwable error) {
    if (error instanceof Store.CompactedException c) {
      watcher.stop(Status.OUT_OF_RANGE.withDescription(
          "too old resource version: the requested revision has been compacted (compacted revision "
              + c.compactedRevision() + ")"));
    } else {
      watcher.stop(Status.UNAVAILABLE.withDescription("watch from etcd ended: " + error.getMessage()));
    }
  }
}
