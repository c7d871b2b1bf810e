package io.minik8s.client.bootstrap;

import com.google.protobuf.ByteString;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bootstrap token, kubeadm's {@code [a-z0-9]{6}.[a-z0-9]{16}}: a public id and a secret
 * (k8s.io/cluster-bootstrap/token/util and api). It lives in kube-system as the Secret
 * {@code bootstrap-token-<id>} of type {@value #SECRET_TYPE}. Unlike Kubernetes, which stores
 * the secret half as it is, the Secret here holds only its SHA-256 ({@link #hashSecret}), so
 * reading etcd or the Secret does not hand anyone a working token.
 */
public record BootstrapToken(String id, String secret) {
  public static final String SECRET_TYPE = "bootstrap.kubernetes.io/token";
  public static final String SECRET_PREFIX = "bootstrap-token-";
  public static final String NAMESPACE = "kube-system";
  public static final String KEY_ID = "token-id";
  public static final String KEY_SECRET = "token-secret";
  public static final String KEY_EXPIRATION = "expiration";
  public static final String KEY_USAGE_AUTHENTICATION = "usage-bootstrap-authentication";
  /** The user of a token is {@code system:bootstrap:<id>}, in this group (Kubernetes' names). */
  public static final String USER_PREFIX = "system:bootstrap:";
  public static final String GROUP = "system:bootstrappers";

  private static final Pattern FORM = Pattern.compile("^([a-z0-9]{6})\\.([a-z0-9]{16})$");
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  public BootstrapToken {
    if (!FORM.matcher(id + "." + secret).matches()) {
      throw new IllegalArgumentException("a bootstrap token has the form [a-z0-9]{6}.[a-z0-9]{16}");
    }
  }

  /** A new random token, as kubeadm's GenerateBootstrapToken. */
  public static BootstrapToken generate() {
    return new BootstrapToken(random(6), random(16));
  }

  /** The token in {@code text}, or empty when it does not have the form. */
  public static Optional<BootstrapToken> parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text);
    return m.matches() ? Optional.of(new BootstrapToken(m.group(1), m.group(2))) : Optional.empty();
  }

  /** The Secret of token {@code id}. */
  public static String secretName(String id) {
    return SECRET_PREFIX + id;
  }

  /** What the Secret stores for a token secret: its SHA-256 in hex. */
  public static String hashSecret(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The Secret that makes this token valid until {@code expiration}: id, hashed secret, expiry, usage. */
  public Secret toSecret(Instant expiration) {
    return Secret.newBuilder().setApiVersion("v1").setKind("Secret")
        .setMetadata(ObjectMeta.newBuilder().setName(secretName(id)).setNamespace(NAMESPACE))
        .setType(SECRET_TYPE)
        .putData(KEY_ID, bytes(id))
        .putData(KEY_SECRET, bytes(hashSecret(secret)))
        .putData(KEY_EXPIRATION, bytes(DateTimeFormatter.ISO_INSTANT.format(expiration.truncatedTo(ChronoUnit.SECONDS))))
        .putData(KEY_USAGE_AUTHENTICATION, bytes("true"))
        .build();
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFrom(s, StandardCharsets.US_ASCII);
  }

  public String user() {
    return USER_PREFIX + id;
  }

  @Override
  public String toString() {
    return id + "." + secret;
  }

  private static String random(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
