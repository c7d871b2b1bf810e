package io.minik8s.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ContinueTokenTest {
  private static final String PREFIX = "/registry/pods/";

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void encodesAsKubernetesDoes() {
    // The bytes Kubernetes' EncodeContinue produces for the same key and revision.
    assertThat(ContinueToken.encode(PREFIX, "/registry/pods/ns/web-1\0", 12))
        .isEqualTo(b64("{\"v\":\"meta.k8s.io/v1\",\"rv\":12,\"start\":\"ns/web-1\\u0000\"}"));
  }

  @Test
  void decodesWhatItEncodes() {
    String token = ContinueToken.encode(PREFIX, "/registry/pods/ns/web-1\0", 12);
    assertThat(ContinueToken.decode(PREFIX, token)).isEqualTo(new ContinueToken("/registry/pods/ns/web-1\0", 12));
  }

  @Test
  void aKeyThatClimbsOutOfThePrefixIsRefused() {
    String token = b64("{\"v\":\"meta.k8s.io/v1\",\"rv\":12,\"start\":\"../secrets/ns/x\"}");
    assertThatThrownBy(() -> ContinueToken.decode(PREFIX, token))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("continue key is not valid: ../secrets/ns/x");
  }

  @Test
  void garbageIsRefusedClearly() {
    assertThatThrownBy(() -> ContinueToken.decode(PREFIX, "not a token!"))
        .hasMessage("continue key is not valid: not a continue token of this server");
    assertThatThrownBy(() -> ContinueToken.decode(PREFIX, b64("[1,2]")))
        .hasMessage("continue key is not valid: not a continue token of this server");
    assertThatThrownBy(() -> ContinueToken.decode(PREFIX, b64("{\"v\":\"v2\",\"rv\":3,\"start\":\"a\"}")))
        .hasMessage("continue key is not valid: server does not recognize this encoded key");
    assertThatThrownBy(() -> ContinueToken.decode(PREFIX, b64("{\"v\":\"meta.k8s.io/v1\",\"rv\":0,\"start\":\"a\"}")))
        .hasMessage("continue key is not valid: continue key has no resource version");
    assertThatThrownBy(() -> ContinueToken.decode(PREFIX, b64("{\"v\":\"meta.k8s.io/v1\",\"rv\":3,\"start\":\"\"}")))
        .hasMessage("continue key is not valid: continue key is empty");
  }
}
