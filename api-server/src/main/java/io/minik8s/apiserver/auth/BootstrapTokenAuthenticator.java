package io.minik8s.apiserver.auth;

import io.minik8s.api.Secret;
import io.minik8s.client.bootstrap.BootstrapToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates {@code Bearer <id>.<secret>} as {@code system:bootstrap:<id>} in
 * {@code system:bootstrappers} when kube-system holds the Secret {@code bootstrap-token-<id>} of
 * type {@code bootstrap.kubernetes.io/token} that is meant for authentication, unexpired, and whose
 * hashed secret matches (Kubernetes' plugin/pkg/auth/authenticator/token/bootstrap/bootstrap.go).
 * A bearer token of another form is not this authenticator's; a bootstrap token that fails is
 * refused with Kubernetes' bare 401, the reason only in the api-server's log, as Kubernetes does
 * (the caller learns nothing about which tokens exist).
 */
public final class BootstrapTokenAuthenticator implements Authenticator {
  private static final Logger log = LoggerFactory.getLogger(BootstrapTokenAuthenticator.class);

  private final Function<String, Optional<Secret>> secrets;
  private final Clock clock;

  /** {@code secrets}: the kube-system Secret of a name, if there is one. */
  public BootstrapTokenAuthenticator(Function<String, Optional<Secret>> secrets, Clock clock) {
    this.secrets = secrets;
    this.clock = clock;
  }

  @Override
  public Optional<UserInfo> authenticate(Credentials credentials) {
    Optional<BootstrapToken> token = credentials.bearerToken().flatMap(BootstrapToken::parse);
    if (token.isEmpty()) {
      return Optional.empty();
    }
    String refusal = refusal(token.get());
    if (refusal != null) {
      log.info("refused bootstrap token {}: {}", token.get().id(), refusal);
      return Optional.empty();
    }
    return Optional.of(new UserInfo(token.get().user(), List.of(BootstrapToken.GROUP)));
  }

  /** Why this token does not authenticate, or null when it does. */
  String refusal(BootstrapToken token) {
    Optional<Secret> found = secrets.apply(BootstrapToken.secretName(token.id()));
    if (found.isEmpty()) {
      return "no secret " + BootstrapToken.NAMESPACE + "/" + BootstrapToken.secretName(token.id());
    }
    Secret s = found.get();
    if (!s.getType().equals(BootstrapToken.SECRET_TYPE)) {
      return "secret has type " + s.getType() + ", not " + BootstrapToken.SECRET_TYPE;
    }
    if (!s.getMetadata().getDeletionTimestamp().isEmpty()) {
      return "secret is being deleted";
    }
    if (!token.id().equals(data(s, BootstrapToken.KEY_ID))) {
      return "secret's token-id does not match";
    }
    if (!"true".equals(data(s, BootstrapToken.KEY_USAGE_AUTHENTICATION))) {
      return "token is not for authentication (usage-bootstrap-authentication is not \"true\")";
    }
    String expiration = data(s, BootstrapToken.KEY_EXPIRATION);
    if (expiration != null) {
      try {
        Instant expires = Instant.parse(expiration);
        if (!clock.instant().isBefore(expires)) {
          return "expired at " + expiration;
        }
      } catch (DateTimeParseException e) {
        return "unreadable expiration " + expiration;
      }
    }
    String stored = data(s, BootstrapToken.KEY_SECRET);
    byte[] presented = BootstrapToken.hashSecret(token.secret()).getBytes(StandardCharsets.US_ASCII);
    if (stored == null || !MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII), presented)) {
      return "wrong token secret";
    }
    return null;
  }

  private static String data(Secret s, String key) {
    return s.getDataMap().containsKey(key) ? s.getDataMap().get(key).toString(StandardCharsets.US_ASCII) : null;
  }
}
