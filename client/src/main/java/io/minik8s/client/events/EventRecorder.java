package io.minik8s.client.events;

import com.google.protobuf.Message;
import io.minik8s.api.Event;
import io.minik8s.api.EventSource;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.ObjectReference;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Events about objects ("SuccessfulCreate", "Scheduled", "BackOff"...) so that
 * {@code mkctl describe} tells what happened. Like client-go's recorder it never blocks the
 * caller (events are written from a thread of its own) and folds repeats of the same event into
 * one object whose count grows. Every event is also logged, one line each.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/client-go/tools/record/event.go.
 */
public final class EventRecorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final int REMEMBERED = 4096;

  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  private final ApiClient client;
  private final String component;
  private final String host;
  private final Clock clock;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "event-recorder");
    t.setDaemon(true);
    return t;
  });
  /** Recent events by what makes them the same, so a repeat updates the count. */
  private final Map<String, Event> recent = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Event> eldest) {
      return size() > REMEMBERED;
    }
  };

  public EventRecorder(ApiClient client, String component, String host, Clock clock) {
    this.client = client;
    this.component = component;
    this.host = host;
    this.clock = clock;
  }

  public void normal(Message about, String reason, String message) {
    record(about, NORMAL, reason, message);
  }

  public void warning(Message about, String reason, String message) {
    record(about, WARNING, reason, message);
  }

  public void record(Message about, String type, String reason, String message) {
    ResourceType t = Resources.of(about);
    ObjectMeta meta = KubeObjects.meta(about);
    ObjectReference ref = ObjectReference.newBuilder()
        .setKind(t.kind()).setApiVersion(t.apiVersion())
        .setNamespace(meta.getNamespace()).setName(meta.getName())
        .setUid(meta.getUid()).setResourceVersion(meta.getResourceVersion())
        .build();
    log.info("event {} {} {}/{}: {}: {}", type, t.kind(), meta.getNamespace(), meta.getName(), reason, message);
    writer.execute(() -> write(ref, type, reason, message));
  }

  private void write(ObjectReference ref, String type, String reason, String message) {
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    String key = ref.getUid() + "|" + ref.getName() + "|" + type + "|" + reason + "|" + message;
    String namespace = ref.getNamespace().isEmpty() ? "default" : ref.getNamespace();
    try {
      Event previous = recent.get(key);
      if (previous != null) {
        Event bumped = previous.toBuilder().setCount(previous.getCount() + 1).setLastTimestamp(now).build();
        recent.put(key, client.update(bumped));
        return;
      }
      Event e = Event.newBuilder()
          .setMetadata(ObjectMeta.newBuilder().setNamespace(namespace)
              .setName(ref.getName() + "." + Long.toHexString(System.nanoTime())))
          .setInvolvedObject(ref)
          .setReason(reason)
          .setMessage(message)
          .setType(type)
          .setSource(EventSource.newBuilder().setComponent(component).setHost(host))
          .setReportingComponent(component)
          .setReportingInstance(host)
          .setFirstTimestamp(now)
          .setLastTimestamp(now)
          .setCount(1)
          .build();
      recent.put(key, client.create(e));
    } catch (RuntimeException ex) {
      // Events are best effort, as in Kubernetes: losing one must never break the caller.
      recent.remove(key);
      log.debug("could not record event {} for {}: {}", reason, ref.getName(), ex.toString());
    }
  }

  @Override
  public void close() {
    writer.shutdown();
  }
}
