package io.minik8s.apiserver.auth;

import io.grpc.Context;
import java.util.List;
import java.util.Optional;

/**
 * Who made a request, as authentication found it: a user name and the groups it belongs to, as
 * Kubernetes' {@code user.Info} (k8s.io/apiserver/pkg/authentication/user). An authenticator
 * (client certificate: CN is the user, O the groups; or a bearer token) puts it into the gRPC
 * {@link Context} of the call, and authorization and admission read it from there.
 */
public record UserInfo(String name, List<String> groups) {
  /** The group every authenticated user is in. */
  public static final String AUTHENTICATED = "system:authenticated";
  /** The group whose members may do anything (Kubernetes' superuser group). */
  public static final String MASTERS = "system:masters";
  /** The group of the kubelets; their user names are {@code system:node:<node name>}. */
  public static final String NODES = "system:nodes";
  public static final String NODE_PREFIX = "system:node:";

  /** The context key under which the authenticated user of the current call is found. */
  public static final Context.Key<UserInfo> KEY = Context.key("minik8s-user");

  public UserInfo {
    groups = List.copyOf(groups);
  }

  /** The user of the current gRPC call, if one was authenticated. */
  public static Optional<UserInfo> current() {
    return Optional.ofNullable(KEY.get());
  }

  /** The node name when this user is a kubelet ({@code system:node:NAME} in {@code system:nodes}). */
  public Optional<String> nodeName() {
    return name.startsWith(NODE_PREFIX) && groups.contains(NODES)
        ? Optional.of(name.substring(NODE_PREFIX.length())) : Optional.empty();
  }
}
