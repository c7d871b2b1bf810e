package io.minik8s.apiserver.rest;

import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A resource request's path, taken apart as Kubernetes' RequestInfoFactory does
 * (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go):
 * {@code /api/v1[/namespaces/NS]/RESOURCE[/NAME[/SUBRESOURCE]]} for the core group,
 * {@code /apis/GROUP/VERSION/...} for the others. {@code /api/v1/namespaces/NAME} is the
 * namespace itself, not a namespace's resources.
 *
 * @param namespace empty for a cluster-scoped resource or a list across all namespaces
 * @param name empty for a collection
 * @param subresource empty, or status, scale, log...
 */
record ApiPath(ResourceType type, String namespace, String name, String subresource) {
  private static final java.util.Set<String> NAMESPACE_SUBRESOURCES = java.util.Set.of("status", "finalize");

  /** The parsed path, or empty when it names no resource this server has (Kubernetes' 404). */
  static Optional<ApiPath> parse(String path) {
    List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    String group;
    String version;
    int at;
    if (parts.size() >= 3 && parts.get(0).equals("api")) {
      group = "";
      version = parts.get(1);
      at = 2;
    } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      version = parts.get(2);
      at = 3;
    } else {
      return Optional.empty();
    }
    List<String> rest = parts.subList(at, parts.size());
    String namespace = "";
    // namespaces/NAME/status and /finalize are the namespace's own subresources
    if (rest.get(0).equals("namespaces") && rest.size() >= 3 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.size() > 3) {
      return Optional.empty();
    }
    String resource = rest.get(0);
    String name = rest.size() > 1 ? rest.get(1) : "";
    String subresource = rest.size() > 2 ? rest.get(2) : "";
    Optional<ResourceType> type = Resources.byResource(resource)
        .filter(t -> t.group().equals(group) && t.version().equals(version));
    if (type.isEmpty() || (!namespace.isEmpty() && !type.get().namespaced())) {
      return Optional.empty();
    }
    return Optional.of(new ApiPath(type.get(), namespace, name, subresource));
  }

  boolean collection() {
    return name.isEmpty();
  }
}
