package io.minik8s.client.codec;

import com.google.protobuf.Message;
import io.minik8s.api.Object;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * Decodes one document as Kubernetes' serializer does: first its type (apiVersion and kind),
 * which picks the message to fill, then the fields of that message. A {@code v1 List} is only a
 * wrapper: each of its items is decoded as a document of its own.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/apimachinery/pkg/runtime/serializer/json/json.go.
 */
final class ObjectDecoder {
  private static final Set<String> LIST_FIELDS = Set.of("apiVersion", "kind", "metadata", "items");

  private final FieldDecoder fields;

  ObjectDecoder(String source) {
    this.fields = new FieldDecoder(source);
  }

  void decode(Node document, List<Object> out) throws ManifestException {
    decode(document, out, true);
  }

  /** Items of a List are single objects: a List in a List (or one aliasing itself) is refused. */
  private void decode(Node document, List<Object> out, boolean listAllowed) throws ManifestException {
    Map<String, Node> top = new HashMap<>();
    for (NodeTuple entry : fields.entries(document, FieldPath.of(""))) {
      top.put(FieldDecoder.keyText(entry), entry.getValueNode());
    }
    // Kind before apiVersion: the order in which kubectl complains.
    String kind = typeField(document, top, "kind", "Kind");
    String apiVersion = typeField(document, top, "apiVersion", "apiVersion");
    if (listAllowed && kind.equals("List") && apiVersion.equals("v1")) {
      decodeList(document, top, out);
      return;
    }
    ResourceType type = Resources.byKind(kind)
        .filter(t -> t.apiVersion().equals(apiVersion))
        .orElseThrow(() -> fields.error(document, FieldPath.of(""),
            "no matches for kind \"" + kind + "\" in version \"" + apiVersion + "\""));
    Message.Builder builder = type.newBuilder();
    fields.readMessage(document, builder, FieldPath.of(kind));
    out.add(KubeObjects.wrap(builder.build()));
  }

  private void decodeList(Node document, Map<String, Node> top, List<Object> out) throws ManifestException {
    for (NodeTuple entry : fields.entries(document, FieldPath.of("List"))) {
      String name = FieldDecoder.keyText(entry);
      if (!LIST_FIELDS.contains(name)) {
        throw fields.error(entry.getKeyNode(), FieldPath.of("List").field(name),
            "unknown field \"" + name + "\" in List");
      }
    }
    Node items = top.get("items");
    if (items == null || FieldDecoder.isNull(items)) {
      return;
    }
    for (Node item : fields.sequence(items, FieldPath.of("List").field("items"))) {
      decode(item, out, false);
    }
  }

  private String typeField(Node document, Map<String, Node> top, String name, String kubectlName)
      throws ManifestException {
    Node value = top.get(name);
    FieldPath at = FieldPath.of("").field(name);
    String text = value == null || FieldDecoder.isNull(value) ? "" : fields.string(value, at);
    if (text.isEmpty()) {
      throw fields.error(document, at, "Object '" + kubectlName + "' is missing");
    }
    return text;
  }
}
