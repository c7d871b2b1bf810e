package io.minik8s.apiserver.storage;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The continue token of a paged list (Kubernetes' k8s.io/apiserver/pkg/storage/continue.go, in the same
 * format): base64url of {@code {"v":"meta.k8s.io/v1","rv":REVISION,"start":"KEY"}}, where
 * {@code rv} is the revision the first page was read at, so every later page is read there too,
 * and {@code start} is the key to resume from, relative to the list's prefix. A client controls
 * the token, so the key is checked to stay under the prefix.
 */
public record ContinueToken(String startKey, long revision) {
  private static final String VERSION = "meta.k8s.io/v1";
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private record Json(@JsonProperty("v") String version, @JsonProperty("rv") long revision,
                      @JsonProperty("start") String start) {}

  /** The token for resuming at {@code nextKey} (under {@code prefix}) at {@code revision}. */
  public static String encode(String prefix, String nextKey, long revision) {
    if (!nextKey.startsWith(prefix)) {
      throw new IllegalArgumentException("key " + nextKey + " is not under " + prefix);
    }
    try {
      byte[] json = JSON.writeValueAsBytes(new Json(VERSION, revision, nextKey.substring(prefix.length())));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a token for a list of {@code prefix}; {@link IllegalArgumentException} says why it is not valid. */
  public static ContinueToken decode(String prefix, String token) {
    Json c;
    try {
      c = JSON.readValue(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8), Json.class);
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw invalid("not a continue token of this server");
    }
    if (!VERSION.equals(c.version())) {
      throw invalid("server does not recognize this encoded key");
    }
    if (c.revision() <= 0) {
      throw invalid("continue key has no resource version");
    }
    if (c.start() == null || c.start().isEmpty()) {
      throw invalid("continue key is empty");
    }
    // As Kubernetes does, refuse a key that is not already clean: "/a/../b" could climb out of the prefix.
    String key = c.start().startsWith("/") ? c.start() : "/" + c.start();
    if (!clean(key)) {
      throw invalid(c.start());
    }
    return new ContinueToken(prefix + key.substring(1), c.revision());
  }

  private static boolean clean(String key) {
    for (String segment : key.substring(1).split("/", -1)) {
      if (segment.equals("..") || segment.equals(".") || (segment.isEmpty() && key.length() > 1)) {
        return false;
      }
    }
    return true;
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException("continue key is not valid: " + why);
  }
}
