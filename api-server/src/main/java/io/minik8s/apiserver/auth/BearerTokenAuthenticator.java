package io.minik8s.apiserver.auth;

import java.util.Optional;

/**
 * Reads {@code authorization: Bearer <token>} from the call's metadata or the HTTP request's header and looks the token up in
 * the token file (Kubernetes' pkg/authentication/request/bearertoken): a call without that
 * header is not this authenticator's; a wrong token authenticates no one.
 */
public final class BearerTokenAuthenticator implements Authenticator {
  private final TokenFile tokens;

  public BearerTokenAuthenticator(TokenFile tokens) {
    this.tokens = tokens;
  }

  @Override
  public Optional<UserInfo> authenticate(Credentials credentials) {
    return credentials.bearerToken().flatMap(tokens::user);
  }
}
