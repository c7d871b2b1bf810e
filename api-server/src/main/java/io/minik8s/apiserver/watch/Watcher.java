package io.minik8s.apiserver.watch;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.WatchEvent;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.labels.FieldSelector;
import io.minik8s.client.labels.Selector;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's watch (Kubernetes' cacheWatcher, staging/src/k8s.io/apiserver/pkg/storage/cacher/
 * cache_watcher.go): filters the changes it is offered (namespace, label and field selectors),
 * turning a change that moves an object into or out of the selection into ADDED or DELETED as
 * Kubernetes does, and sends them in order from its own virtual thread, so a slow client never
 * holds up the cache.
 *
 * <p>It sends only while gRPC's flow control says the client can take more ({@code isReady}), so
 * the events a slow client has not taken wait here, where they are counted in bytes. A client
 * that falls more than the byte limit behind is cut off: its buffer is dropped and the watch ends
 * with "too old resource version" (OUT_OF_RANGE), on which clients list again, as Kubernetes'
 * reflector does when its watch expires.
 */
public final class Watcher {
  private static final Logger log = LoggerFactory.getLogger(Watcher.class);

  private final String resource;
  private final String namespace;
  private final Selector labels;
  private final FieldSelector fields;
  private final boolean bookmarks;
  private final StreamObserver<WatchEvent> sink;
  private final ServerCallStreamObserver<WatchEvent> flow;
  private final WatchBuffers buffers;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private volatile Runnable onStop = () -> { };
  /** Changes at or below this revision are not sent: the client already has them. */
  private volatile long skipThrough;

  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when an event is queued, the client can take more, or the watch ends. */
  private final Condition wake = lock.newCondition();
  private final ArrayDeque<WatchEvent> queue = new ArrayDeque<>();
  private long queuedBytes;
  /** How the watch ends once set: OK completes it, anything else is sent as the error. */
  private StatusRuntimeException end;

  /**
   * Must be called from the gRPC method itself: that is the only time gRPC lets a server stream
   * take an on-ready handler.
   */
  public Watcher(String resource, String namespace, Selector labels, FieldSelector fields, boolean bookmarks,
      StreamObserver<WatchEvent> sink, WatchBuffers buffers) {
    this.resource = resource;
    this.namespace = namespace == null ? "" : namespace;
    this.labels = labels;
    this.fields = fields;
    this.bookmarks = bookmarks;
    this.sink = sink;
    this.buffers = buffers;
    this.flow = sink instanceof ServerCallStreamObserver<WatchEvent> s ? s : null;
    if (flow != null) {
      flow.setOnReadyHandler(this::wakeSender);
    }
    Thread.ofVirtual().name("watch-sender").start(this::sendLoop);
  }

  void onStop(Runnable r) {
    this.onStop = r;
  }

  /** The client has everything up to {@code revision}: nothing at or below it is sent, not even a bookmark. */
  void skipThrough(long revision) {
    this.skipThrough = revision;
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
    if (stopped.get() || e.revision() <= skipThrough) {
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
    enqueue(out.build());
  }

  private void enqueue(WatchEvent event) {
    long size = event.getSerializedSize();
    long behind;
    lock.lock();
    try {
      if (end != null) {
        return;
      }
      // One event always fits, however large: a small limit must not make a big object unwatchable.
      if (queuedBytes == 0 || queuedBytes + size <= buffers.limitPerWatcher()) {
        queue.addLast(event);
        queuedBytes += size;
        buffers.add(size);
        wake.signalAll();
        return;
      }
      behind = queuedBytes + size;
    } finally {
      lock.unlock();
    }
    log.warn("watch of {}{}: the client fell {} bytes behind (limit {}); ending it as expired", resource,
        namespace.isEmpty() ? "" : " in " + namespace, behind, buffers.limitPerWatcher());
    buffers.terminated(resource);
    stop(Status.OUT_OF_RANGE.withDescription("too old resource version: the watch fell more than "
        + buffers.limitPerWatcher() + " bytes behind; list again"));
  }

  /**
   * Ends the watch and frees what it buffered; with a status, the client sees it as an error
   * (e.g. expired: list again), else the watch completes.
   */
  public void stop(Status status) {
    stopWith((status == null ? Status.OK : status).asRuntimeException());
  }

  /** Ends the watch with this status and its trailers (OK: the watch completes). */
  public void stopWith(StatusRuntimeException status) {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    lock.lock();
    try {
      end = status;
      buffers.release(queuedBytes);
      queuedBytes = 0;
      queue.clear();
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    onStop.run();
  }

  public boolean stopped() {
    return stopped.get();
  }

  private void wakeSender() {
    lock.lock();
    try {
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private boolean clientCanTakeMore() {
    return flow == null || flow.isReady();
  }

  private void sendLoop() {
    try {
      while (true) {
        WatchEvent next;
        StatusRuntimeException finish;
        lock.lock();
        try {
          while (end == null && (queue.isEmpty() || !clientCanTakeMore())) {
            wake.await();
          }
          finish = end;
          next = finish == null ? queue.pollFirst() : null;
          if (next != null) {
            queuedBytes -= next.getSerializedSize();
            buffers.release(next.getSerializedSize());
          }
        } finally {
          lock.unlock();
        }
        if (finish != null) {
          if (finish.getStatus().isOk()) {
            sink.onCompleted();
          } else {
            sink.onError(finish);
          }
          return;
        }
        sink.onNext(next);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(null);
    } catch (RuntimeException e) {
      // The client went away mid-send: nothing more to deliver.
      stop(null);
    } catch (Throwable t) {
      log.error("watch sender of {} failed; ending the watch", resource, t);
      stop(Status.INTERNAL.withDescription("watch sender failed: " + t));
    }
  }
}
