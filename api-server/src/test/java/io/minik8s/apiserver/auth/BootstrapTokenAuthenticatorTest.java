package io.minik8s.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.minik8s.api.Secret;
import io.minik8s.client.bootstrap.BootstrapToken;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class BootstrapTokenAuthenticatorTest {
  private static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");
  private final Map<String, Secret> secrets = new HashMap<>();
  private final BootstrapTokenAuthenticator authn = new BootstrapTokenAuthenticator(
      name -> Optional.ofNullable(secrets.get(name)), Clock.fixed(NOW, ZoneOffset.UTC));
  private final BootstrapToken token = BootstrapToken.generate();

  private Optional<UserInfo> call(String bearer) {
    return authn.authenticate(new Credentials("Bearer " + bearer, null));
  }

  private void store(Secret s) {
    secrets.put(s.getMetadata().getName(), s);
  }

  @Test
  void aStoredUnexpiredTokenIsItsBootstrapUser() {
    store(token.toSecret(NOW.plus(Duration.ofHours(24))));
    assertThat(call(token.toString())).contains(
        new UserInfo("system:bootstrap:" + token.id(), List.of("system:bootstrappers")));
  }

  @Test
  void theSecretHoldsOnlyTheHashOfTheTokenSecret() {
    Secret s = token.toSecret(NOW.plusSeconds(60));
    String stored = s.getDataMap().get("token-secret").toString(StandardCharsets.US_ASCII);
    assertThat(stored).doesNotContain(token.secret()).hasSize(64);
    assertThat(s.getType()).isEqualTo("bootstrap.kubernetes.io/token");
    assertThat(s.getMetadata().getNamespace()).isEqualTo("kube-system");
  }

  @Test
  void anExpiredTokenAuthenticatesNoOne() {
    store(token.toSecret(NOW.minusSeconds(1)));
    assertThat(call(token.toString())).isEmpty();
    assertThat(authn.refusal(token)).startsWith("expired at");
  }

  @Test
  void anUnknownTokenAuthenticatesNoOne() {
    assertThat(call(token.toString())).isEmpty();
    assertThat(authn.refusal(token)).startsWith("no secret kube-system/bootstrap-token-" + token.id());
  }

  @Test
  void aWrongSecretForAKnownIdAuthenticatesNoOne() {
    store(token.toSecret(NOW.plusSeconds(600)));
    BootstrapToken guess = new BootstrapToken(token.id(), "0123456789abcdef");
    assertThat(call(guess.toString())).isEmpty();
    assertThat(authn.refusal(guess)).isEqualTo("wrong token secret");
  }

  @Test
  void theStoredHashItselfIsNotAToken() {
    Secret s = token.toSecret(NOW.plusSeconds(600));
    store(s);
    String hash = s.getDataMap().get("token-secret").toString(StandardCharsets.US_ASCII);
    assertThat(call(token.id() + "." + hash.substring(0, 16))).isEmpty();
  }

  @Test
  void aTokenNotMeantForAuthenticationAuthenticatesNoOne() {
    store(token.toSecret(NOW.plusSeconds(600)).toBuilder()
        .putData("usage-bootstrap-authentication", ByteString.copyFromUtf8("false")).build());
    assertThat(call(token.toString())).isEmpty();
  }

  @Test
  void malformedTokensAreNotBootstrapTokens() {
    store(token.toSecret(NOW.plusSeconds(600)));
    for (String bad : List.of(token.id() + token.secret(), token.id().toUpperCase() + "." + token.secret(),
        token.id() + "." + token.secret() + "0", token.id() + ":" + token.secret(), "")) {
      assertThat(call(bad)).as(bad).isEmpty();
    }
    assertThat(BootstrapToken.parse("abcdef.0123456789abcdeX")).isEmpty();
  }
}
