package io.minik8s.client.bootstrap;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * kubeadm's {@code --discovery-token-ca-cert-hash}: {@code sha256:} and the hex SHA-256 of the CA
 * certificate's DER SubjectPublicKeyInfo (cmd/kubeadm/app/util/pubkeypin/pubkeypin.go). A joining
 * node compares the CA it was handed against this pin before it trusts it, so a man in the middle
 * cannot hand it his own CA (k3s joins without the pin were open to exactly that).
 */
public final class CaCertHash {
  public static final String PREFIX = "sha256:";

  private CaCertHash() {}

  /** The pin of {@code ca}. */
  public static String of(X509Certificate ca) {
    try {
      byte[] spki = ca.getPublicKey().getEncoded(); // X.509 SubjectPublicKeyInfo, DER
      return PREFIX + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Checks the form of a pin given on a command line; returns it in lower case. */
  public static String parse(String pin) {
    String p = pin == null ? "" : pin.strip().toLowerCase(Locale.ROOT);
    if (!p.matches("sha256:[0-9a-f]{64}")) {
      throw new IllegalArgumentException("--ca-cert-hash must be sha256:<64 hex digits> (the hash of the CA's "
          + "public key that mkctl token create prints), not \"" + pin + "\"");
    }
    return p;
  }

  /** Whether {@code ca} is the CA this pin names; compares in constant time. */
  public static boolean matches(String pin, X509Certificate ca) {
    return MessageDigest.isEqual(parse(pin).getBytes(), of(ca).getBytes());
  }
}
