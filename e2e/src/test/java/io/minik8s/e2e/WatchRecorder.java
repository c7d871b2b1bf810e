package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.minik8s.api.WatchEvent;
import io.minik8s.api.WatchRequest;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.KubeObjects;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.awaitility.Awaitility;

/** Records every event of one watch, for tests to assert on. */
final class WatchRecorder implements StreamObserver<WatchEvent>, AutoCloseable {
  final List<WatchEvent> events = new CopyOnWriteArrayList<>();
  final AtomicReference<Throwable> error = new AtomicReference<>();
  private volatile boolean completed;
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
  public void onCompleted() {
    completed = true;
  }

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

  /**
   * The state after each change, in the watch's (etcd's) order: {@code initial} (by name, as
   * listed at the watch's starting version) with the changes applied one by one, each state
   * handed to {@code check}. First waits until the watch has delivered {@code now} (a list taken
   * after the changes of interest). Fails if the watch broke or ended, since a state could then
   * be missing: a sampler that misses what it did not see is no check.
   */
  <T extends Message> void replay(Collection<T> initial, Collection<T> now, Consumer<Map<String, T>> check) {
    Set<String> listed = new HashSet<>();
    initial.forEach(o -> listed.add(KubeObjects.meta(o).getResourceVersion()));
    Set<String> wanted = new HashSet<>();
    now.forEach(o -> wanted.add(KubeObjects.meta(o).getResourceVersion()));
    wanted.removeAll(listed);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> error.get() != null || completed
        || changes().stream().map(e -> KubeObjects.meta(e.getObject()).getResourceVersion()).toList().containsAll(wanted));
    assertThat(error.get()).as("the watch failed").isNull();
    assertThat(completed).as("the watch ended early").isFalse();
    Map<String, T> state = new LinkedHashMap<>();
    initial.forEach(o -> state.put(KubeObjects.meta(o).getName(), o));
    long last = 0;
    for (WatchEvent e : changes()) {
      @SuppressWarnings("unchecked")
      T obj = (T) KubeObjects.unwrap(e.getObject());
      long rv = Long.parseLong(KubeObjects.meta(obj).getResourceVersion());
      assertThat(rv).as("resourceVersions of a watch only grow").isGreaterThan(last);
      last = rv;
      String name = KubeObjects.meta(obj).getName();
      if (e.getType().equals("DELETED")) {
        state.remove(name);
      } else {
        state.put(name, obj);
      }
      check.accept(Collections.unmodifiableMap(state));
    }
  }

  void awaitChanges(int count) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> changes().size() >= count || error.get() != null);
  }

  @Override
  public void close() {
    context.cancel(null);
  }
}
