package io.minik8s.client.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the cluster's certificates, as kubeadm's {@code pkiutil} (cmd/kubeadm/app/util/pkiutil)
 * and client-go's {@code util/cert} do: self-signed CAs of {@link #CA_VALIDITY}, leaves of
 * {@link #LEAF_VALIDITY} signed by one, each valid from {@link #BACKDATE} before now so that a
 * member whose clock is a little behind does not refuse a certificate made a moment ago.
 *
 * <p>Built on BouncyCastle's bcpkix: the JDK can read, verify and use X.509 certificates, but has
 * no public API to create one (only the internal sun.security.x509 that keytool uses, closed to
 * code outside the JDK since Java 17). bcpkix is the library Java's own tools (Netty's self-signed
 * certificate, Vert.x, Keycloak) use for that, and it is kept up by the Legion of the Bouncy Castle.
 *
 * <p>Keys are ECDSA P-256 (kubeadm's {@code ECDSA-P256} encryption algorithm): small, fast to make
 * and to handshake with, accepted by etcd, Go and Java's TLS alike.
 */
public final class Certificates {
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  public static final Duration LEAF_VALIDITY = Duration.ofDays(365);
  public static final Duration BACKDATE = Duration.ofMinutes(5);
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Certificates() {}

  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make ECDSA P-256 keys", e);
    }
  }

  /** A self-signed CA named {@code commonName}, valid {@link #CA_VALIDITY} from {@code now} less the backdate. */
  public static Credential newCa(String commonName, Instant now) {
    KeyPair keys = newKeyPair();
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = builder(name, name, keys.getPublic(), now, CA_VALIDITY)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new Credential(sign(b, keys), keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot make CA " + commonName + ": " + e.getMessage(), e);
    }
  }

  /** A leaf for {@code spec}, signed by {@code ca}, valid {@link #LEAF_VALIDITY} from {@code now} less the backdate. */
  public static Credential issue(Credential ca, LeafSpec spec, Instant now) {
    return issue(ca, spec, now, LEAF_VALIDITY);
  }

  /** As {@link #issue(Credential, LeafSpec, Instant)} with another validity (tests make expired ones). */
  public static Credential issue(Credential ca, LeafSpec spec, Instant now, Duration validity) {
    KeyPair keys = newKeyPair();
    X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
    for (String o : spec.organizations()) {
      subject.addRDN(BCStyle.O, o);
    }
    subject.addRDN(BCStyle.CN, spec.commonName());
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
      List<KeyPurposeId> purposes = new ArrayList<>();
      if (spec.serverAuth()) {
        purposes.add(KeyPurposeId.id_kp_serverAuth);
      }
      if (spec.clientAuth()) {
        purposes.add(KeyPurposeId.id_kp_clientAuth);
      }
      X509v3CertificateBuilder b = builder(issuer, subject.build(), keys.getPublic(), now, validity)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
      List<GeneralName> sans = new ArrayList<>();
      spec.dnsNames().forEach(n -> sans.add(new GeneralName(GeneralName.dNSName, n)));
      spec.ipAddresses().forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
      if (!sans.isEmpty()) {
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
      }
      return new Credential(sign(b, new KeyPair(ca.certificate().getPublicKey(), ca.key())), keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot make certificate " + spec.commonName() + ": " + e.getMessage(), e);
    }
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Instant now,
      Duration validity) {
    Instant from = now.minus(BACKDATE);
    BigInteger serial = new BigInteger(127, RANDOM).add(BigInteger.ONE); // positive, unique enough (RFC 5280: at most 20 octets)
    return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(from), Date.from(from.plus(validity)), subject, key);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** Whether {@code cert} was signed by {@code ca}'s key. */
  public static boolean signedBy(X509Certificate cert, X509Certificate ca) {
    try {
      cert.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
