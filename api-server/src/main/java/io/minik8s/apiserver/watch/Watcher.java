package io.minik8s.apiserver.watch;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.WatchEvent;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.labels.FieldSelector;
import io.minik8s.client.labels.Selector;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's watch: filters the changes it is offered (namespace, label and field selectors),
 * turning a change that moves an object into or out of the selection into ADDED or DELETED as
 * Kubernetes does, and sends them in order from its own virtual thread, so a slow client never
 * holds up the cache. A client that falls too far behind is cut off and lists again.
 */
public final class Watcher {
  private static final int MAX_PENDING = 100_000;

  private final String namespace;
  private final Selector labels;
  private final FieldSelector fields;
  private final boolean bookmarks;
  private final StreamObserver<WatchEvent> sink;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private volatile Runnable onStop = () -> { };
  private static final Object END = new Object();

  public Watcher(String namespace, Selector labels, FieldSelector fields, boolean bookmarks,
      StreamObserver<WatchEvent> sink) {
    this.namespace = namespace == null ? "" : namespace;
    this.labels = labels;
    this.fields = fields;
    this.bookmarks = bookmarks;
    this.sink = sink;
    Thread.ofVirtual().name("watch-sender").start(this::sendLoop);
  }

  void onStop(Runnable r) {
    this.onStop = r;
  }

  boolean wantsBookmarks() {
    return bookmarks;
  }

  boolean matches(Message obj) {
    ObjectMeta m = KubeObjects.meta(obj);
    return (namespace.isEmpty() || namespace.equals(m.getNamespace()))
        && labels.matches(m.getLabelsMap())
        && fields.matches(obj);
  }

  /** Offers a change; called in revision order by the event source. */
  void offer(WatchEventRecord e) {
    if (stopped.get()) {
      return;
    }
    String type = switch (e.type()) {
      case WatchEventRecord.BOOKMARK -> WatchEventRecord.BOOKMARK;
      case WatchEventRecord.ADDED -> matches(e.object()) ? WatchEventRecord.ADDED : null;
      case WatchEventRecord.DELETED -> matches(e.object()) ? WatchEventRecord.DELETED : null;
      default -> {
        boolean now = matches(e.object());
        boolean before = e.previous() != null && matches(e.previous());
        yield now && before ? WatchEventRecord.MODIFIED
            : now ? WatchEventRecord.ADDED
            : before ? WatchEventRecord.DELETED
            : null;
      }
    };
    if (type == null) {
      return;
    }
    WatchEvent.Builder out = WatchEvent.newBuilder().setType(type).setResourceVersion(Long.toString(e.revision()));
    if (e.object() != null) {
      out.setObject(KubeObjects.wrap(e.object()));
    }
    if (queue.size() > MAX_PENDING) {
      stop(Status.RESOURCE_EXHAUSTED.withDescription("watch client fell too far behind; list and watch again"));
      return;
    }
    queue.add(out.build());
  }

  /** Ends the watch; with a status, the client sees it as an error (e.g. expired: list again). */
  public void stop(Status status) {
    if (stopped.compareAndSet(false, true)) {
      queue.add(status == null ? END : status);
      onStop.run();
    }
  }

  public boolean stopped() {
    return stopped.get();
  }

  private void sendLoop() {
    try {
      while (true) {
        Object next = queue.take();
        if (next == END) {
          sink.onCompleted();
          return;
        }
        if (next instanceof Status s) {
          sink.onError(s.asRuntimeException());
          return;
        }
        sink.onNext((WatchEvent) next);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The client went away mid-send: nothing more to deliver.
      stop(null);
    }
  }
}
