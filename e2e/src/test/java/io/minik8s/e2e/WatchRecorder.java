package io.minik8s.e2e;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.minik8s.api.WatchEvent;
import io.minik8s.api.WatchRequest;
import io.minik8s.client.ApiClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/** Records every event of one watch, for tests to assert on. */
final class WatchRecorder implements StreamObserver<WatchEvent>, AutoCloseable {
  final List<WatchEvent> events = new CopyOnWriteArrayList<>();
  final AtomicReference<Throwable> error = new AtomicReference<>();
  private final Context.CancellableContext context = Context.current().withCancellation();

  static WatchRecorder start(ApiClient client, WatchRequest request) {
    WatchRecorder r = new WatchRecorder();
    r.context.run(() -> client.async().watch(request, r));
    return r;
  }

  @Override
  public void onNext(WatchEvent value) {
    events.add(value);
  }

  @Override
  public void onError(Throwable t) {
    error.set(t);
  }

  @Override
  public void onCompleted() {}

  /** The events other than bookmarks. */
  List<WatchEvent> changes() {
    List<WatchEvent> out = new ArrayList<>();
    for (WatchEvent e : events) {
      if (!e.getType().equals("BOOKMARK")) {
        out.add(e);
      }
    }
    return out;
  }

  void awaitChanges(int count) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> changes().size() >= count || error.get() != null);
  }

  @Override
  public void close() {
    context.cancel(null);
  }
}
