package io.minik8s.apiserver.rest;

import com.google.protobuf.Message;
import io.minik8s.api.ListResponse;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.printers.KindColumns;
import io.minik8s.client.printers.TablePrinters;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code meta.k8s.io/v1} Table kubectl asks for ({@code Accept: application/json;as=Table;...}),
 * filled by the same column printers as {@code mkctl get} ({@link TablePrinters}), so kubectl and
 * mkctl print the same columns (Kubernetes' pkg/printers/internalversion and
 * staging/src/k8s.io/apiserver/pkg/endpoints/handlers/response.go). Columns mkctl shows only with
 * {@code -o wide} have priority 1, which kubectl shows only with {@code -o wide} as well. Each row
 * carries the object's metadata (PartialObjectMetadata), from which kubectl prints the NAMESPACE
 * of {@code -A} and the labels of {@code --show-labels} and {@code -L}.
 */
final class Tables {
  static final String CONTENT_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";

  private final Clock clock;

  Tables(Clock clock) {
    this.clock = clock;
  }

  /** Whether the client asked for a Table (kubectl get does; it falls back to JSON itself). */
  static boolean wanted(String accept) {
    return accept.contains("as=Table") && accept.contains("g=meta.k8s.io");
  }

  Map<String, Object> of(ResourceType type, ListResponse list) {
    List<Message> objects = new ArrayList<>();
    list.getItemsList().forEach(o -> objects.add(KubeObjects.unwrap(o)));
    Map<String, Object> table = table(type, objects);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("resourceVersion", list.getResourceVersion());
    if (!list.getContinue().isEmpty()) {
      meta.put("continue", list.getContinue());
    }
    table.put("metadata", meta);
    return table;
  }

  Map<String, Object> of(ResourceType type, Message obj) {
    Map<String, Object> table = table(type, List.of(obj));
    table.put("metadata", Map.of("resourceVersion", KubeObjects.meta(obj).getResourceVersion()));
    return table;
  }

  private Map<String, Object> table(ResourceType type, List<Message> objects) {
    KindColumns<?> columns = TablePrinters.columnsOf(type);
    List<String> all = columns.headers(true);
    List<String> narrow = columns.headers(false);
    List<Object> definitions = new ArrayList<>();
    for (String header : all) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("name", title(header));
      d.put("type", "string");
      d.put("format", header.equals("NAME") ? "name" : "");
      d.put("description", "");
      d.put("priority", narrow.contains(header) ? 0 : 1);
      definitions.add(d);
    }
    List<Object> rows = new ArrayList<>();
    for (Message obj : objects) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("cells", columns.cells(obj, true, clock.instant()));
      Map<String, Object> partial = new LinkedHashMap<>();
      partial.put("kind", "PartialObjectMetadata");
      partial.put("apiVersion", "meta.k8s.io/v1");
      partial.put("metadata", Json.tree(obj).get("metadata"));
      row.put("object", partial);
      rows.add(row);
    }
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    table.put("metadata", Map.of());
    table.put("columnDefinitions", definitions);
    table.put("rows", rows);
    return table;
  }

  /** {@code UP-TO-DATE} as Kubernetes names the column, {@code Up-to-date}; kubectl prints it in capitals. */
  private static String title(String header) {
    String lower = header.toLowerCase(Locale.ROOT);
    return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
  }
}
