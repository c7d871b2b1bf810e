package io.minik8s.mkctl.printers;

import com.google.protobuf.Message;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import io.minik8s.client.codec.ManifestCodec;
import java.util.List;

/**
 * The {@code -o yaml}, {@code -o json} and {@code -o name} forms of objects. One object prints
 * as itself; several as a {@code kind: List} with {@code items}, as kubectl does.
 */
public final class ObjectPrinter {
  private ObjectPrinter() {}

  /** The object as a YAML manifest (with apiVersion and kind). */
  public static String yaml(Message object) {
    return endWithNewline(ManifestCodec.toYaml(KubeObjects.withTypeMeta(object)));
  }

  /** The object as JSON (with apiVersion and kind). */
  public static String json(Message object) {
    return endWithNewline(ManifestCodec.toJson(KubeObjects.withTypeMeta(object)));
  }

  /** {@code pod/web-0}, {@code deployment.apps/web}. */
  public static String name(Message object) {
    ResourceType type = Resources.of(object);
    return type.qualifiedSingular() + "/" + KubeObjects.meta(object).getName();
  }

  /** Several objects as a YAML {@code List}, each item as {@link #yaml} prints it. */
  public static String yamlList(List<? extends Message> objects) {
    StringBuilder sb = new StringBuilder("apiVersion: v1\n");
    if (objects.isEmpty()) {
      sb.append("items: []\n");
    } else {
      sb.append("items:\n");
      for (Message m : objects) {
        String text = yaml(m);
        boolean first = true;
        // Indent the whole document under "- "; blank lines (inside block text) stay blank.
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
          sb.append(first ? "- " : line.isEmpty() ? "" : "  ").append(line).append('\n');
          first = false;
        }
      }
    }
    return sb.append("kind: List\nmetadata:\n  resourceVersion: \"\"\n").toString();
  }

  /** Several objects as a JSON {@code List}, each item as {@link #json} prints it. */
  public static String jsonList(List<? extends Message> objects) {
    StringBuilder sb = new StringBuilder("{\n    \"apiVersion\": \"v1\",\n");
    if (objects.isEmpty()) {
      sb.append("    \"items\": [],\n");
    } else {
      sb.append("    \"items\": [\n");
      for (int i = 0; i < objects.size(); i++) {
        String item = json(objects.get(i)).stripTrailing();
        sb.append(item.indent(8).stripTrailing()).append(i < objects.size() - 1 ? ",\n" : "\n");
      }
      sb.append("    ],\n");
    }
    return sb.append("    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n")
        .toString();
  }

  private static String endWithNewline(String s) {
    return s.endsWith("\n") ? s : s + "\n";
  }
}
