package io.minik8s.mkctl.printers;

import io.minik8s.client.printers.ClusterColumns;
import io.minik8s.client.printers.Age;
import io.minik8s.client.printers.Format;
import com.google.protobuf.Message;
import io.minik8s.api.Event;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import io.minik8s.client.codec.ManifestCodec;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code describe} for every kind: a describer of its own for the kinds people describe most,
 * a generic one (metadata, then the rest of the object as indented keys) for the others; and
 * the {@code Events:} section that ends every description.
 */
public final class Describers {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US);

  private static final Map<ResourceType, Describer<?>> BY_TYPE = Map.of(
      Resources.PODS, PodDescriber.POD,
      Resources.DEPLOYMENTS, WorkloadDescribers.DEPLOYMENT,
      Resources.REPLICA_SETS, WorkloadDescribers.REPLICA_SET,
      Resources.STATEFUL_SETS, WorkloadDescribers.STATEFUL_SET,
      Resources.SERVICES, CoreDescribers.SERVICE,
      Resources.ENDPOINTS, CoreDescribers.ENDPOINTS,
      Resources.NODES, CoreDescribers.NODE,
      Resources.NAMESPACES, CoreDescribers.NAMESPACE,
      Resources.PERSISTENT_VOLUME_CLAIMS, CoreDescribers.PERSISTENT_VOLUME_CLAIM);

  private Describers() {}

  /** The full description of an object, its events included (pass them already filtered). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static String describe(Message object, List<Event> events, Describer.Context ctx) {
    DescribeWriter w = new DescribeWriter();
    Describer d = BY_TYPE.getOrDefault(Resources.of(object), (Describer) Describers::generic);
    d.describe(object, w, ctx);
    events(w, events, ctx.now());
    return w.render();
  }

  /** The events about an object among a namespace's events, oldest first. */
  public static List<Event> eventsFor(Message object, List<? extends Message> candidates) {
    ResourceType type = Resources.of(object);
    ObjectMeta meta = KubeObjects.meta(object);
    List<Event> out = new ArrayList<>();
    for (Message m : candidates) {
      Event e = (Event) m;
      var ref = e.getInvolvedObject();
      boolean sameUid = ref.getUid().isEmpty() || ref.getUid().equals(meta.getUid())
          // Node events name the node by its name where other kinds use the uid.
          || ref.getUid().equals(meta.getName());
      if (ref.getKind().equals(type.kind()) && ref.getName().equals(meta.getName())
          && (ref.getNamespace().isEmpty() || ref.getNamespace().equals(meta.getNamespace())) && sameUid) {
        out.add(e);
      }
    }
    out.sort(Comparator.comparing(e -> Age.parse(ClusterColumns.lastTimestamp(e)).orElse(Instant.EPOCH)));
    return out;
  }

  /** {@code Events:} and a {@code Type Reason Age From Message} table, or {@code <none>}. */
  static void events(DescribeWriter w, List<Event> events, Instant now) {
    if (events.isEmpty()) {
      w.field(0, "Events", Format.NONE);
      return;
    }
    w.section(0, "Events");
    w.raw(1, "Type\tReason\tAge\tFrom\tMessage");
    w.raw(1, "----\t------\t----\t----\t-------");
    for (Event e : events) {
      String age = Age.since(ClusterColumns.lastTimestamp(e), now);
      if (e.getCount() > 1 && !e.getFirstTimestamp().isEmpty()) {
        age = age + " (x" + e.getCount() + " over " + Age.since(e.getFirstTimestamp(), now) + ")";
      }
      String from = e.getSource().getComponent().isEmpty() ? e.getReportingComponent() : e.getSource().getComponent();
      w.raw(1, e.getType() + "\t" + e.getReason() + "\t" + age + "\t" + from + "\t"
          + e.getMessage().strip().replace('\n', ' ').replace('\t', ' '));
    }
  }

  /** Name, Namespace (for namespaced kinds), Labels and Annotations. */
  static void header(Message object, DescribeWriter w) {
    ObjectMeta meta = KubeObjects.meta(object);
    w.field(0, "Name", meta.getName());
    if (Resources.of(object).namespaced()) {
      w.field(0, "Namespace", meta.getNamespace());
    }
    w.labels(0, "Labels", meta.getLabelsMap());
    w.annotations(0, "Annotations", meta.getAnnotationsMap());
  }

  /** The RFC 3339 time in kubectl's describe form ({@code Mon, 02 Jan 2006 15:04:05 -0700}); as given if unreadable. */
  static String time(String rfc3339, Describer.Context ctx) {
    return Age.parse(rfc3339).map(t -> TIME.format(t.atZone(ctx.zone()))).orElse(rfc3339.isEmpty() ? "<unset>" : rfc3339);
  }

  /** {@code ReplicaSet/web-7d9f}: the controlling owner, if any. */
  static String controlledBy(ObjectMeta meta) {
    for (OwnerReference o : meta.getOwnerReferencesList()) {
      if (o.hasController() && o.getController()) {
        return o.getKind() + "/" + o.getName();
      }
    }
    return null;
  }

  /** Metadata, then every other field of the object as an indented tree of keys. */
  static void generic(Message object, DescribeWriter w, Describer.Context ctx) {
    header(object, w);
    ObjectMeta meta = KubeObjects.meta(object);
    if (!meta.getCreationTimestamp().isEmpty()) {
      w.field(0, "CreationTimestamp", time(meta.getCreationTimestamp(), ctx));
    }
    String owner = controlledBy(meta);
    if (owner != null) {
      w.field(0, "Controlled By", owner);
    }
    Map<String, Object> tree = ManifestCodec.toTree(object);
    for (Map.Entry<String, Object> e : tree.entrySet()) {
      if (e.getKey().equals("apiVersion") || e.getKey().equals("kind") || e.getKey().equals("metadata")) {
        continue;
      }
      tree(w, 0, e.getKey(), e.getValue());
    }
  }

  @SuppressWarnings("unchecked")
  private static void tree(DescribeWriter w, int level, String key, Object value) {
    String title = title(key);
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        return;
      }
      w.section(level, title);
      for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
        tree(w, level + 1, e.getKey(), e.getValue());
      }
    } else if (value instanceof List<?> list) {
      if (list.stream().allMatch(v -> !(v instanceof Map) && !(v instanceof List))) {
        w.field(level, title, list.isEmpty() ? Format.NONE : String.join(", ", list.stream().map(String::valueOf).toList()));
        return;
      }
      w.section(level, title);
      for (Object item : list) {
        if (item instanceof Map<?, ?> m) {
          for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
            tree(w, level + 1, e.getKey(), e.getValue());
          }
        } else {
          w.raw(level + 1, String.valueOf(item));
        }
      }
    } else {
      w.field(level, title, String.valueOf(value));
    }
  }

  /** {@code holderIdentity} becomes {@code Holder Identity}, as kubectl's generic describer shows keys. */
  static String title(String key) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (i == 0) {
        sb.append(Character.toUpperCase(c));
      } else if (Character.isUpperCase(c) && Character.isLowerCase(key.charAt(i - 1))) {
        sb.append(' ').append(c);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
