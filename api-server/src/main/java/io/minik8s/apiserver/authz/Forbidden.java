package io.minik8s.apiserver.authz;

import io.minik8s.apiserver.registry.ApiException;

/**
 * The refusal of an unauthorized request, worded as Kubernetes' responsewriters.forbiddenMessage
 * and apierrors.NewForbidden word it:
 * {@code pods is forbidden: User "alice" cannot create resource "pods" in API group "" in the namespace "default"},
 * with the authorizers' reasons after a colon when they gave any.
 */
public final class Forbidden {
  private Forbidden() {}

  public static ApiException of(Attributes a, String reason) {
    String user = a.user() == null ? "" : a.user().name();
    String scope = a.namespace().isEmpty() ? "at the cluster scope" : "in the namespace \"" + a.namespace() + "\"";
    String msg = "User \"" + user + "\" cannot " + a.verb() + " resource \"" + a.combinedResource() + "\" in API group \""
        + a.apiGroup() + "\" " + scope;
    if (!reason.isEmpty()) {
      msg += ": " + reason;
    }
    return forbidden(a.qualifiedResource(), a.name(), msg);
  }

  /** Kubernetes' NewForbidden: {@code pods "x" is forbidden: why}, or {@code pods is forbidden: why} without a name. */
  public static ApiException forbidden(String qualifiedResource, String name, String why) {
    String subject = name.isEmpty() ? qualifiedResource : qualifiedResource + " \"" + name + "\"";
    return ApiException.forbidden(subject + " is forbidden: " + why);
  }
}
