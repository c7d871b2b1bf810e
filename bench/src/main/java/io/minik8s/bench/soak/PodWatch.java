package io.minik8s.bench.soak;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.minik8s.api.WatchEvent;
import io.minik8s.api.WatchRequest;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.Resources;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A watch on the soak namespace's pods through the api-server, kept from the start to the end as
 * a client-go reflector keeps it: a broken stream resumes from the last resourceVersion it saw; an
 * expired one ("too old resource version") lists again and watches from the list's version. It
 * records every event's (name, resourceVersion), events that arrive twice or out of order, and
 * the revision ranges a relist skipped (changes there were never promised as events).
 */
final class PodWatch implements AutoCloseable {
  /** Revisions after {@code from} up to and including {@code to} that a relist stepped over. */
  record Gap(long from, long to) {
    boolean covers(long revision) {
      return revision > from && revision <= to;
    }
  }

  private final ApiClient client;
  private final String namespace;
  private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
      .daemon().name("pod-watch-retry").factory());
  private final Set<String> seen = new HashSet<>();
  private final List<Gap> gaps = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private long startRevision;
  private long lastRevision;
  private long events;
  private int duplicates;
  private int outOfOrder;
  private int resumes;
  private int relists;
  private Context.CancellableContext call;
  private volatile boolean closed;

  PodWatch(ApiClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** Lists the pods and watches from the list's version; returns that version. */
  synchronized long start() {
    startRevision = list();
    lastRevision = startRevision;
    watch(startRevision);
    return startRevision;
  }

  private long list() {
    return Long.parseLong(client.listRaw(Resources.PODS, namespace, "", "").getResourceVersion());
  }

  private synchronized void watch(long from) {
    if (closed) {
      return;
    }
    call = Context.current().withCancellation();
    WatchRequest request = WatchRequest.newBuilder().setResource("pods").setNamespace(namespace)
        .setResourceVersion(Long.toString(from)).setAllowWatchBookmarks(true).build();
    call.run(() -> client.async().watch(request, new StreamObserver<>() {
      @Override
      public void onNext(WatchEvent e) {
        onEvent(e);
      }

      @Override
      public void onError(Throwable t) {
        Status.Code code = Status.fromThrowable(t).getCode();
        boolean expired = code == Status.Code.OUT_OF_RANGE || code == Status.Code.RESOURCE_EXHAUSTED;
        reconnect(expired);
      }

      @Override
      public void onCompleted() {
        reconnect(false);
      }
    }));
  }

  private synchronized void onEvent(WatchEvent e) {
    long rv = Long.parseLong(e.getResourceVersion().isEmpty()
        ? KubeObjects.meta(e.getObject()).getResourceVersion() : e.getResourceVersion());
    if (e.getType().equals("BOOKMARK")) {
      lastRevision = Math.max(lastRevision, rv);
      return;
    }
    events++;
    String key = KubeObjects.meta(e.getObject()).getName() + "@" + rv;
    if (!seen.add(key)) {
      duplicates++;
      problem("event seen twice: " + e.getType() + " " + key);
    } else if (rv <= lastRevision) {
      outOfOrder++;
      problem("event out of order: " + e.getType() + " " + key + " after resourceVersion " + lastRevision);
    }
    lastRevision = Math.max(lastRevision, rv);
  }

  private void problem(String what) {
    if (problems.size() < 20) {
      problems.add(what);
    }
  }

  private void reconnect(boolean expired) {
    if (closed) {
      return;
    }
    retry.schedule(() -> {
      synchronized (this) {
        if (closed) {
          return;
        }
        if (expired) {
          long before = lastRevision;
          try {
            long listed = list();
            relists++;
            gaps.add(new Gap(before, listed));
            lastRevision = Math.max(lastRevision, listed);
          } catch (RuntimeException e) {
            reconnect(true); // the api-server may be down: list again later
            return;
          }
        } else {
          resumes++;
        }
        watch(lastRevision);
      }
    }, 500, TimeUnit.MILLISECONDS);
  }

  synchronized boolean saw(String name, long revision) {
    return seen.contains(name + "@" + revision);
  }

  synchronized boolean inGap(long revision) {
    return gaps.stream().anyMatch(g -> g.covers(revision));
  }

  synchronized long lastRevision() {
    return lastRevision;
  }

  synchronized long startRevision() {
    return startRevision;
  }

  synchronized long events() {
    return events;
  }

  synchronized int duplicates() {
    return duplicates;
  }

  synchronized int outOfOrder() {
    return outOfOrder;
  }

  synchronized int resumes() {
    return resumes;
  }

  synchronized int relists() {
    return relists;
  }

  synchronized Set<String> seen() {
    return Set.copyOf(seen);
  }

  synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  @Override
  public void close() {
    closed = true;
    retry.shutdownNow();
    synchronized (this) {
      if (call != null) {
        call.cancel(null);
      }
    }
  }
}
