package io.minik8s.bench.soak;

import com.google.protobuf.Message;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.minik8s.apiserver.registry.ObjectCodec;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The soak's ground truth, read from etcd itself (not through the api-server under test): one
 * watch on every key of the soak's namespace, in etcd's revision order, which records each pod
 * change and hands Deployments, ReplicaSets and pods to the {@link SurgeCheck}; and direct reads
 * of single objects for the lost-write check. A broken watch resumes from the next revision.
 */
final class EtcdHistory implements AutoCloseable, AckLog.StoredObjects {
  /** One change of a pod: its name and the revision of the change (a deletion's own revision). */
  record PodChange(String name, long revision, boolean deleted) {}

  private static final List<ResourceType> KINDS = List.of(Resources.PODS, Resources.REPLICA_SETS, Resources.DEPLOYMENTS);

  private final Client client;
  private final String namespace;
  private final SurgeCheck surge;
  private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
      .daemon().name("etcd-history-retry").factory());
  private final List<PodChange> podChanges = new ArrayList<>();
  private long startRevision;
  private long lastRevision;
  private volatile boolean incomplete;
  private volatile boolean closed;
  private Watch.Watcher watcher;

  /** Records through {@code client}, and closes it when closed. */
  EtcdHistory(Client client, String namespace, SurgeCheck surge) {
    this.client = client;
    this.namespace = namespace;
    this.surge = surge;
  }

  /** Starts recording with the next change after etcd's current revision. */
  synchronized long start() throws Exception {
    startRevision = currentRevision();
    lastRevision = startRevision;
    watchFrom(startRevision + 1);
    return startRevision;
  }

  long currentRevision() throws Exception {
    return client.getKVClient().get(bytes("/registry/.revision-probe")).get(10, TimeUnit.SECONDS).getHeader().getRevision();
  }

  private synchronized void watchFrom(long revision) {
    if (closed) {
      return;
    }
    WatchOption option = WatchOption.builder().isPrefix(true).withRevision(revision).build();
    watcher = client.getWatchClient().watch(bytes("/registry/"), option, Watch.listener(this::onResponse, this::onError));
  }

  private synchronized void onResponse(WatchResponse response) {
    for (WatchEvent e : response.getEvents()) {
      long revision = e.getKeyValue().getModRevision();
      if (revision <= lastRevision) {
        continue; // a resumed watch may repeat what was seen
      }
      lastRevision = revision;
      String key = e.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
      for (ResourceType type : KINDS) {
        String prefix = ObjectCodec.prefix(type, namespace);
        if (!key.startsWith(prefix)) {
          continue;
        }
        String name = key.substring(prefix.length());
        boolean deleted = e.getEventType() == WatchEvent.EventType.DELETE;
        if (type == Resources.PODS) {
          podChanges.add(new PodChange(name, revision, deleted));
        }
        Message obj = deleted ? null : ObjectCodec.decode(type, e.getKeyValue().getValue().getBytes(), revision);
        surge.onChange(type, name, obj);
      }
    }
  }

  private void onError(Throwable error) {
    if (error instanceof CompactedException) {
      incomplete = true; // the history has a hole: the watch check says so instead of guessing
    }
    synchronized (this) {
      if (watcher != null) {
        watcher.close();
      }
    }
    if (!closed) {
      retry.schedule(() -> {
        long next;
        synchronized (this) {
          next = lastRevision + 1;
        }
        watchFrom(next);
      }, 1, TimeUnit.SECONDS);
    }
  }

  synchronized List<PodChange> podChanges() {
    return List.copyOf(podChanges);
  }

  synchronized long startRevision() {
    return startRevision;
  }

  synchronized long lastRevision() {
    return lastRevision;
  }

  boolean incomplete() {
    return incomplete;
  }

  @Override
  public Optional<Message> read(ResourceType type, String ns, String name) {
    try {
      var r = client.getKVClient().get(bytes(ObjectCodec.key(type, ns, name))).get(10, TimeUnit.SECONDS);
      return r.getKvs().stream().findFirst()
          .map(kv -> ObjectCodec.decode(type, kv.getValue().getBytes(), kv.getModRevision()));
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + type.resource() + " " + ns + "/" + name + " from etcd: " + e, e);
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    closed = true;
    retry.shutdownNow();
    synchronized (this) {
      if (watcher != null) {
        watcher.close();
      }
    }
    client.close();
  }
}
