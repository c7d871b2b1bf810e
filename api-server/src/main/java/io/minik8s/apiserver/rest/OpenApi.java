package io.minik8s.apiserver.rest;

import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The smallest OpenAPI v3 that lets kubectl validate on the server: {@code /openapi/v3} lists a
 * document per group-version, and each document has the PATCH operation of every kind, tagged
 * with its group-version-kind and taking the {@code fieldValidation} parameter. kubectl (its
 * QueryParamVerifierV3) looks for exactly that before it sends {@code fieldValidation=Strict} and
 * leaves validation to the server; without it kubectl wants the whole OpenAPI v2 schema and
 * fails ("failed to download openapi") unless run with {@code --validate=false}. The documents
 * carry no schemas yet, so {@code kubectl explain} does not work (see the README).
 */
final class OpenApi {
  private OpenApi() {}

  /** {@code /openapi/v3}: the group-versions and where their documents are. */
  static Map<String, Object> root() {
    Map<String, Object> paths = new LinkedHashMap<>();
    for (ResourceType t : Resources.ALL) {
      String gv = prefix(t);
      paths.put(gv, Map.of("serverRelativeURL", "/openapi/v3/" + gv));
    }
    return Map.of("paths", paths);
  }

  /** {@code /openapi/v3/api/v1}, {@code /openapi/v3/apis/apps/v1}; empty for a group-version we do not serve. */
  static Optional<Map<String, Object>> document(String groupVersionPath) {
    Map<String, Object> paths = new LinkedHashMap<>();
    for (ResourceType t : Resources.ALL) {
      if (prefix(t).equals(groupVersionPath)) {
        String collection = "/" + prefix(t) + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.resource();
        paths.put(collection + "/{name}", Map.of("patch", patch(t)));
      }
    }
    if (paths.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.0.0");
    doc.put("info", Map.of("title", "MiniK8s", "version", "v1.32.0-minik8s"));
    doc.put("paths", paths);
    doc.put("components", Map.of("schemas", Map.of()));
    return Optional.of(doc);
  }

  private static Map<String, Object> patch(ResourceType t) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("operationId", "patch" + t.kind());
    op.put("parameters", List.of(Map.of("name", "fieldValidation", "in", "query",
        "description", "Strict: refuse unknown or duplicate fields (the server always does)",
        "schema", Map.of("type", "string", "uniqueItems", true))));
    op.put("responses", Map.of("200", Map.of("description", "OK")));
    op.put("x-kubernetes-action", "patch");
    op.put("x-kubernetes-group-version-kind", Map.of("group", t.group(), "version", t.version(), "kind", t.kind()));
    return op;
  }

  private static String prefix(ResourceType t) {
    return t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
  }
}
