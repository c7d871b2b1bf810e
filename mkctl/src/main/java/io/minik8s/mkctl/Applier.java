package io.minik8s.mkctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import io.minik8s.client.codec.ManifestCodec;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The logic of {@code mkctl apply} for one object. The manifest as applied is remembered on the
 * object in the annotation {@value #LAST_APPLIED} (its canonical JSON). Applying creates the
 * object when it is absent; when present, compares the manifest with that annotation: equal
 * means unchanged, otherwise the live object is updated: its spec (and every other top-level
 * field but metadata and status) becomes the manifest's; labels and annotations become the
 * manifest's, except that keys the manifest never set are kept, as kubectl's three-way merge
 * keeps what controllers and other users added. The live object's resourceVersion goes along,
 * so a concurrent change makes the update fail with a conflict rather than be lost.
 */
public final class Applier {
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> KEPT_FIELDS = Set.of("api_version", "kind", "metadata", "status");

  /** What applying did. */
  public enum Outcome {
    CREATED("created"), CONFIGURED("configured"), UNCHANGED("unchanged");

    private final String word;

    Outcome(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  /** The object after applying and what was done, printed as {@code deployment.apps/web configured}. */
  public record Result(ResourceType type, Message object, Outcome outcome) {
    public String message() {
      return type.qualifiedSingular() + "/" + KubeObjects.meta(object).getName() + " " + outcome.word();
    }
  }

  private final Cluster cluster;

  public Applier(Cluster cluster) {
    this.cluster = cluster;
  }

  /**
   * Applies one manifest object, already placed in its namespace. Throws the api-server's
   * StatusRuntimeException when a call fails, MkctlException when the object has no name.
   */
  public Result apply(Message manifest) {
    ResourceType type = Resources.of(manifest);
    Message desired = withoutLastApplied(manifest);
    ObjectMeta meta = KubeObjects.meta(desired);
    if (meta.getName().isEmpty()) {
      throw new MkctlException("resource name may not be empty");
    }
    String lastApplied = lastAppliedOf(desired);
    String namespace = MkctlContext.scoped(type, meta.getNamespace());
    Optional<Message> live = cluster.find(type, namespace, meta.getName());
    if (live.isEmpty()) {
      Message created = cluster.create(withAnnotation(desired, LAST_APPLIED, lastApplied));
      return new Result(type, created, Outcome.CREATED);
    }
    String previous = KubeObjects.meta(live.get()).getAnnotationsOrDefault(LAST_APPLIED, null);
    if (previous != null && sameJson(previous, lastApplied)) {
      return new Result(type, live.get(), Outcome.UNCHANGED);
    }
    Message updated = cluster.update(merge(live.get(), desired, lastApplied, previous));
    return new Result(type, updated, Outcome.CONFIGURED);
  }

  /**
   * The canonical JSON of the manifest as applied, without the annotation itself: the codec's
   * JSON, made compact (one line and a newline, as kubectl stores it).
   */
  public static String lastAppliedOf(Message manifest) {
    String pretty = ManifestCodec.toJson(withoutLastApplied(manifest));
    try {
      return JSON.writeValueAsString(JSON.readTree(pretty)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the codec wrote JSON that does not parse: " + e.getMessage(), e);
    }
  }

  /**
   * The update to send: the live object (metadata, resourceVersion, status) with the manifest's
   * content. {@code previousLastApplied} (may be null) tells which labels and annotations an
   * earlier apply set, so that those the manifest dropped are removed.
   */
  public static Message merge(Message live, Message manifest, String lastApplied, String previousLastApplied) {
    Message.Builder b = live.toBuilder();
    for (FieldDescriptor f : live.getDescriptorForType().getFields()) {
      if (KEPT_FIELDS.contains(f.getName())) {
        continue;
      }
      b.clearField(f);
      if (f.isRepeated()) {
        for (int i = 0; i < manifest.getRepeatedFieldCount(f); i++) {
          b.addRepeatedField(f, manifest.getRepeatedField(f, i));
        }
      } else if (manifest.hasField(f)) {
        b.setField(f, manifest.getField(f));
      }
    }
    ObjectMeta liveMeta = KubeObjects.meta(live);
    ObjectMeta wanted = KubeObjects.meta(manifest);
    Map<String, String> annotations = mergeMap(liveMeta.getAnnotationsMap(), wanted.getAnnotationsMap(),
        previouslySet(previousLastApplied, "annotations"));
    annotations.put(LAST_APPLIED, lastApplied);
    ObjectMeta meta = liveMeta.toBuilder()
        .clearLabels().putAllLabels(mergeMap(liveMeta.getLabelsMap(), wanted.getLabelsMap(),
            previouslySet(previousLastApplied, "labels")))
        .clearAnnotations().putAllAnnotations(annotations)
        .build();
    return KubeObjects.withMeta(b.build(), meta);
  }

  /** The live entries, without those set before but no longer wanted, with the wanted ones. */
  private static Map<String, String> mergeMap(Map<String, String> live, Map<String, String> wanted, Set<String> previous) {
    Map<String, String> out = new LinkedHashMap<>(live);
    for (String k : previous) {
      if (!wanted.containsKey(k)) {
        out.remove(k);
      }
    }
    out.putAll(wanted);
    return out;
  }

  /** The keys of metadata.labels or metadata.annotations in an earlier last-applied configuration. */
  private static Set<String> previouslySet(String previousLastApplied, String field) {
    Set<String> keys = new HashSet<>();
    if (previousLastApplied == null) {
      return keys;
    }
    try {
      JsonNode node = JSON.readTree(previousLastApplied).path("metadata").path(field);
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        keys.add(it.next());
      }
    } catch (JsonProcessingException e) {
      // An unreadable annotation tells nothing about what was set before.
    }
    return keys;
  }

  /** Whether two JSON texts hold the same document, whatever the key order and layout. */
  static boolean sameJson(String a, String b) {
    try {
      return JSON.readTree(a).equals(JSON.readTree(b));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  static Message withoutLastApplied(Message m) {
    ObjectMeta meta = KubeObjects.meta(m);
    if (!meta.containsAnnotations(LAST_APPLIED)) {
      return m;
    }
    return KubeObjects.withMeta(m, meta.toBuilder().removeAnnotations(LAST_APPLIED).build());
  }

  static Message withAnnotation(Message m, String key, String value) {
    ObjectMeta meta = KubeObjects.meta(m);
    return KubeObjects.withMeta(m, meta.toBuilder().putAnnotations(key, value).build());
  }
}
