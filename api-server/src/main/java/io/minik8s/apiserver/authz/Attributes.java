package io.minik8s.apiserver.authz;

import io.minik8s.apiserver.auth.UserInfo;
import io.minik8s.client.api.ResourceType;

/**
 * What a request asks to do, as authorizers see it (Kubernetes' authorizer.Attributes): who, which
 * verb (get, list, watch, create, update, patch, delete, deletecollection, or a special one such
 * as bind, escalate, impersonate), on which resource and subresource of which API group, in which
 * namespace ("" for the cluster scope, or a list across every namespace) and, when the request
 * names one, which object. A create names no object, as in Kubernetes. The field selector of a
 * list or watch lets the Node authorizer allow a kubelet to list only its own pods.
 */
public record Attributes(
    UserInfo user, String verb, String apiGroup, String resource, String subresource, String namespace, String name,
    String fieldSelector) {

  public Attributes {
    subresource = subresource == null ? "" : subresource;
    namespace = namespace == null ? "" : namespace;
    name = name == null ? "" : name;
    fieldSelector = fieldSelector == null ? "" : fieldSelector;
  }

  /** A request on a resource type of this API. */
  public static Attributes of(UserInfo user, String verb, ResourceType type, String subresource, String namespace,
                              String name) {
    return new Attributes(user, verb, type.group(), type.resource(), subresource, type.namespaced() ? namespace : "",
        name, "");
  }

  public Attributes withFieldSelector(String selector) {
    return new Attributes(user, verb, apiGroup, resource, subresource, namespace, name, selector);
  }

  public Attributes withUser(UserInfo other) {
    return new Attributes(other, verb, apiGroup, resource, subresource, namespace, name, fieldSelector);
  }

  /** {@code pods}, or {@code pods/status} for a subresource: what a rule's resources are matched against. */
  public String combinedResource() {
    return subresource.isEmpty() ? resource : resource + "/" + subresource;
  }

  /** {@code pods}, {@code deployments.apps}: how Kubernetes names the resource in a Forbidden error. */
  public String qualifiedResource() {
    return apiGroup.isEmpty() ? resource : resource + "." + apiGroup;
  }
}
