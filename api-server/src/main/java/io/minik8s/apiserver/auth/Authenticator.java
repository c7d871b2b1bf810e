package io.minik8s.apiserver.auth;

import java.util.Optional;

/**
 * One way of telling who makes a call (Kubernetes' authenticator.Request): a bearer token, a
 * client certificate. Empty when the call does not carry this kind of credential, or carries a
 * wrong one; the {@link AuthenticationInterceptor} then asks the next.
 */
@FunctionalInterface
public interface Authenticator {
  /** The same for a gRPC call and an HTTP request: both are read into {@link Credentials}. */
  Optional<UserInfo> authenticate(Credentials credentials);
}
