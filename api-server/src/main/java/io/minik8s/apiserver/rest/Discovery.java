package io.minik8s.apiserver.rest;

import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The discovery documents kubectl reads before anything else (Kubernetes'
 * staging/src/k8s.io/apiserver/pkg/endpoints/discovery): {@code /api} (APIVersions),
 * {@code /apis} (APIGroupList) and one APIResourceList per group-version, built from
 * {@link Resources}, the same table the gRPC API serves, with only the verbs and subresources
 * the REST API actually answers.
 */
final class Discovery {
  static final List<String> VERBS = List.of("create", "delete", "get", "list", "patch", "update", "watch");
  private static final List<String> SUBRESOURCE_VERBS = List.of("get", "patch", "update");
  /** kubectl's "get all": the workloads and services, as in Kubernetes. */
  private static final Set<ResourceType> ALL = Set.of(Resources.PODS, Resources.SERVICES, Resources.DEPLOYMENTS,
      Resources.REPLICA_SETS, Resources.STATEFUL_SETS);
  private static final Set<ResourceType> SCALABLE = Set.of(Resources.DEPLOYMENTS, Resources.REPLICA_SETS,
      Resources.STATEFUL_SETS);

  private Discovery() {}

  static Map<String, Object> coreVersions() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("kind", "APIVersions");
    tree.put("versions", List.of("v1"));
    tree.put("serverAddressByClientCIDRs", List.of());
    return tree;
  }

  static Map<String, Object> groups() {
    List<Object> groups = new ArrayList<>();
    for (String group : groupNames()) {
      groups.add(group(group));
    }
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("kind", "APIGroupList");
    tree.put("apiVersion", "v1");
    tree.put("groups", groups);
    return tree;
  }

  /** {@code /apis/GROUP}: the group and its one version; empty for a group we do not serve. */
  static Optional<Map<String, Object>> group(String name, boolean withType) {
    if (!groupNames().contains(name)) {
      return Optional.empty();
    }
    Map<String, Object> tree = group(name);
    if (withType) {
      Map<String, Object> typed = new LinkedHashMap<>();
      typed.put("kind", "APIGroup");
      typed.put("apiVersion", "v1");
      typed.putAll(tree);
      tree = typed;
    }
    return Optional.of(tree);
  }

  private static Map<String, Object> group(String name) {
    Map<String, Object> version = new LinkedHashMap<>();
    version.put("groupVersion", name + "/v1");
    version.put("version", "v1");
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("name", name);
    tree.put("versions", List.of(version));
    tree.put("preferredVersion", version);
    return tree;
  }

  private static Set<String> groupNames() {
    Set<String> names = new LinkedHashSet<>();
    for (ResourceType t : Resources.ALL) {
      if (!t.group().isEmpty()) {
        names.add(t.group());
      }
    }
    return names;
  }

  /** {@code /api/v1} or {@code /apis/GROUP/v1}: the resources of a group-version; empty when there are none. */
  static Optional<Map<String, Object>> resources(String group, String version) {
    List<Object> resources = new ArrayList<>();
    for (ResourceType t : Resources.ALL) {
      if (t.group().equals(group) && t.version().equals(version)) {
        resources.add(resource(t));
        if (t.hasStatus()) {
          resources.add(subresource(t, "status", t.kind(), SUBRESOURCE_VERBS));
        }
        if (SCALABLE.contains(t)) {
          Map<String, Object> scale = subresource(t, "scale", "Scale", SUBRESOURCE_VERBS);
          scale.put("group", "autoscaling");
          scale.put("version", "v1");
          resources.add(scale);
        }
      }
    }
    if (resources.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("kind", "APIResourceList");
    tree.put("apiVersion", "v1");
    tree.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    tree.put("resources", resources);
    return Optional.of(tree);
  }

  private static Map<String, Object> resource(ResourceType t) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("name", t.resource());
    r.put("singularName", t.kind().toLowerCase(Locale.ROOT));
    r.put("namespaced", t.namespaced());
    r.put("kind", t.kind());
    r.put("verbs", VERBS);
    if (!t.shortNames().isEmpty()) {
      r.put("shortNames", t.shortNames());
    }
    if (ALL.contains(t)) {
      r.put("categories", List.of("all"));
    }
    return r;
  }

  private static Map<String, Object> subresource(ResourceType t, String sub, String kind, List<String> verbs) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("name", t.resource() + "/" + sub);
    r.put("singularName", "");
    r.put("namespaced", t.namespaced());
    r.put("kind", kind);
    r.put("verbs", verbs);
    return r;
  }
}
