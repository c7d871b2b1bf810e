package io.minik8s.apiserver.auth;

import java.util.Locale;
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
    String value = credentials.authorization();
    if (value == null) {
      return Optional.empty();
    }
    String[] parts = value.strip().split(" +", 2);
    if (parts.length != 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer") || parts[1].isBlank()) {
      return Optional.empty();
    }
    return tokens.user(parts[1].strip());
  }
}
