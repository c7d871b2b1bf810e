package io.minik8s.apiserver.auth;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import java.util.Optional;

/**
 * One way of telling who makes a call: a client certificate, a bearer token. Each answers for the
 * calls it recognises and is empty for the others (or for a wrong credential);
 * {@link AuthenticationInterceptor} asks them in order, as Kubernetes' union authenticator
 * (k8s.io/apiserver/pkg/authentication/request/union).
 */
@FunctionalInterface
public interface Authenticator {
  Optional<UserInfo> authenticate(ServerCall<?, ?> call, Metadata headers);
}
