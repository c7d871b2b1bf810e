package io.minik8s.client.pki;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Reads the identity a certificate carries: the subject's CN (the user) and O values (the
 * groups), as Kubernetes' x509 authenticator's {@code CommonNameUserConversion}
 * (k8s.io/apiserver/pkg/authentication/request/x509), and its subject alternative names.
 */
public final class X509Names {
  private X509Names() {}

  public record Subject(String commonName, List<String> organizations) {}

  public static Subject subject(X509Certificate cert) {
    X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    RDN[] cn = name.getRDNs(BCStyle.CN);
    String user = cn.length == 0 ? "" : text(cn[0].getFirst().getValue());
    List<String> groups = new ArrayList<>();
    for (RDN o : name.getRDNs(BCStyle.O)) {
      groups.add(text(o.getFirst().getValue()));
    }
    return new Subject(user, groups);
  }

  private static String text(ASN1Encodable value) {
    return value instanceof ASN1String s ? s.getString() : value.toString();
  }

  /** The DNS names and IP addresses the certificate may serve as. */
  public static SubjectNames subjectNames(X509Certificate cert) throws CertificateParsingException {
    Collection<List<?>> sans = cert.getSubjectAlternativeNames();
    List<String> names = new ArrayList<>();
    if (sans != null) {
      for (List<?> san : sans) {
        int type = (Integer) san.get(0);
        if (type == 2 || type == 7) { // dNSName, iPAddress
          names.add(String.valueOf(san.get(1)));
        }
      }
    }
    return SubjectNames.of(names);
  }
}
