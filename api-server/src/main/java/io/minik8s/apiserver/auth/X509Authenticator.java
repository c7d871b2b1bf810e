package io.minik8s.apiserver.auth;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.minik8s.client.pki.X509Names;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The caller named by its client certificate: CN is the user, each O a group, as Kubernetes'
 * x509 authenticator (k8s.io/apiserver/pkg/authentication/request/x509/x509.go). The TLS
 * handshake has already checked the certificate against {@code --client-ca-file} and its dates
 * (a certificate from another CA, or expired, never gets this far); a call without one is left to
 * the next authenticator.
 */
public final class X509Authenticator implements Authenticator {
  @Override
  public Optional<UserInfo> authenticate(ServerCall<?, ?> call, Metadata headers) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return Optional.empty();
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty(); // no client certificate: client auth is optional
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      return Optional.empty();
    }
    X509Names.Subject subject = X509Names.subject(leaf);
    if (subject.commonName().isEmpty()) {
      return Optional.empty(); // Kubernetes refuses a certificate without a CN as anonymous
    }
    return Optional.of(new UserInfo(subject.commonName(), subject.organizations()));
  }
}
