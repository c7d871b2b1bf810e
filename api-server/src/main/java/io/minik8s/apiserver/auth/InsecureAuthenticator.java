package io.minik8s.apiserver.auth;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import java.util.Optional;

/**
 * Plain text ({@code --insecure-plaintext}): every caller is a superuser, as the insecure port of
 * Kubernetes' api-server before 1.20 was ({@code system:unsecured} in {@code system:masters}).
 * For development only: anyone who reaches the port owns the cluster.
 */
public final class InsecureAuthenticator implements Authenticator {
  public static final UserInfo UNSECURED = new UserInfo("system:unsecured", java.util.List.of(UserInfo.MASTERS));

  @Override
  public Optional<UserInfo> authenticate(ServerCall<?, ?> call, Metadata headers) {
    return Optional.of(UNSECURED);
  }
}
