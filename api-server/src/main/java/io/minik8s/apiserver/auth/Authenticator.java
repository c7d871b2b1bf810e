package io.minik8s.apiserver.auth;

import java.util.Optional;

/**
 * One way of telling who makes a call: a client certificate, a bearer token. Each answers for the
 * calls it recognises and is empty for the others (or for a wrong credential);
 * {@link AuthenticationInterceptor} asks them in order, as Kubernetes' union authenticator
 * (k8s.io/apiserver/pkg/authentication/request/union).
 */
@FunctionalInterface
public interface Authenticator {
  /** The same for a gRPC call and an HTTP request: both are read into {@link Credentials}. */
  Optional<UserInfo> authenticate(Credentials credentials);
}
