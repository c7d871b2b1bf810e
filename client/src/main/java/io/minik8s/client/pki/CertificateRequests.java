package io.minik8s.client.pki;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * PKCS#10 certificate requests, the body of a CertificateSigningRequest: a kubelet makes one with
 * a key that never leaves it (client-go's util/certificate/csr), the controller-manager reads its
 * subject and signs it (Kubernetes' pkg/controller/certificates/signer and authority). The
 * subject is what matters: CN is the user, each O a group, as the x509 authenticator reads them.
 */
public final class CertificateRequests {
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a request asks for, read from its subject, and the key it is for. */
  public record Parsed(String commonName, List<String> organizations, PublicKey publicKey, byte[] publicKeyDer) {}

  private CertificateRequests() {}

  /** A PEM "CERTIFICATE REQUEST" for {@code commonName} in {@code organizations}, signed with {@code keys}. */
  public static byte[] create(KeyPair keys, String commonName, List<String> organizations) {
    X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
    organizations.forEach(o -> subject.addRDN(BCStyle.O, o));
    subject.addRDN(BCStyle.CN, commonName);
    try {
      PKCS10CertificationRequest req = new JcaPKCS10CertificationRequestBuilder(subject.build(), keys.getPublic())
          .build(new JcaContentSignerBuilder(SIGNATURE).build(keys.getPrivate()));
      return PemFiles.pem(req).getBytes(StandardCharsets.US_ASCII);
    } catch (OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot make a certificate request: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a PEM request and checks its self-signature (proof that the requester holds the key).
   * Fails with a message fit for a validation error.
   */
  public static Parsed parse(byte[] pem) {
    Object o;
    try (PEMParser p = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
      o = p.readObject();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a PEM certificate request: " + e.getMessage());
    }
    if (!(o instanceof PKCS10CertificationRequest req)) {
      throw new IllegalArgumentException("PEM block type must be CERTIFICATE REQUEST");
    }
    try {
      JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(req);
      PublicKey key = jca.getPublicKey();
      if (!req.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
        throw new IllegalArgumentException("the request's signature does not match its public key");
      }
      X500Name subject = req.getSubject();
      return new Parsed(single(subject, BCStyle.CN), values(subject, BCStyle.O), key, key.getEncoded());
    } catch (GeneralSecurityException | OperatorCreationException | PKCSException e) {
      throw new IllegalArgumentException("unreadable certificate request: " + e.getMessage());
    }
  }

  /**
   * A client certificate for what {@code request} asks, signed by {@code ca}, valid {@code validity}
   * from {@code now} less the backdate: the subject is copied from the request, the usages are the
   * signer's (client auth only), never the request's extensions.
   */
  public static X509Certificate signClient(Credential ca, Parsed request, Instant now, Duration validity) {
    X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
    request.organizations().forEach(o -> subject.addRDN(BCStyle.O, o));
    subject.addRDN(BCStyle.CN, request.commonName());
    Instant from = now.minus(Certificates.BACKDATE);
    try {
      X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM).add(BigInteger.ONE),
          Date.from(from), Date.from(from.plus(validity)), subject.build(), request.publicKey())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
          .addExtension(Extension.authorityKeyIdentifier, false,
              new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()));
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder(SIGNATURE).build(ca.key())));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot sign for " + request.commonName() + ": " + e.getMessage(), e);
    }
  }

  /** A certificate as PEM bytes (status.certificate). */
  public static byte[] pem(X509Certificate cert) {
    try {
      return PemFiles.pem(cert).getBytes(StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String single(X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
    List<String> v = values(name, type);
    return v.size() == 1 ? v.get(0) : "";
  }

  private static List<String> values(X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
    List<String> out = new ArrayList<>();
    for (RDN rdn : name.getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        if (atv.getType().equals(type)) {
          ASN1Encodable v = atv.getValue();
          out.add(IETFUtils.valueToString(v));
        }
      }
    }
    return out;
  }
}
