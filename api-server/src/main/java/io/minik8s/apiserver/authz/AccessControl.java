package io.minik8s.apiserver.authz;

import com.google.protobuf.Message;
import io.minik8s.apiserver.auth.UserInfo;
import io.minik8s.apiserver.authz.node.NodeRestriction;
import io.minik8s.apiserver.authz.rbac.EscalationCheck;
import io.minik8s.client.api.ResourceType;

/**
 * What the API checks on every request, after authentication: the authorizer chain on what the
 * request asks (verb, resource, namespace, name), then, for writes, the admission checks that need
 * the object: NodeRestriction (a kubelet writes only its own) and RBAC's escalation prevention
 * (no one grants what they do not hold). In development mode (AlwaysAllow) only the first runs,
 * and allows everything.
 */
public final class AccessControl {
  private final Authorizer authorizer;
  private final NodeRestriction nodeRestriction;
  private final EscalationCheck escalation;

  /** {@code nodeRestriction} and {@code escalation} may be null: not checked (AlwaysAllow mode). */
  public AccessControl(Authorizer authorizer, NodeRestriction nodeRestriction, EscalationCheck escalation) {
    this.authorizer = authorizer;
    this.nodeRestriction = nodeRestriction;
    this.escalation = escalation;
  }

  public Authorizer authorizer() {
    return authorizer;
  }

  /** Refuses, with Kubernetes' Forbidden wording, a request the chain does not allow. */
  public void authorize(Attributes request) {
    Decision d = authorizer.authorize(request);
    if (!d.allowed()) {
      throw Forbidden.of(request, d.reason());
    }
  }

  /** The verb on a resource, by the current call's user. */
  public void authorize(String verb, ResourceType type, String subresource, String namespace, String name) {
    authorize(Attributes.of(UserInfo.current().orElse(null), verb, type, subresource, namespace, name));
  }

  /** Admission of a create or update (status: through the status subresource) of {@code obj}. */
  public void admitWrite(Message obj, boolean status) {
    UserInfo user = UserInfo.current().orElse(null);
    if (nodeRestriction != null) {
      nodeRestriction.admitWrite(user, obj, status);
    }
    if (escalation != null && !status) {
      escalation.check(user, obj);
    }
  }

  public void admitDelete(ResourceType type, String namespace, String name) {
    if (nodeRestriction != null) {
      nodeRestriction.admitDelete(UserInfo.current().orElse(null), type, namespace, name);
    }
  }
}
