package io.minik8s.client.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.minik8s.client.pki.Certificates;
import io.minik8s.client.pki.PemFiles;
import java.io.IOException;
import java.security.cert.X509Certificate;

/**
 * A gRPC server's TLS: its certificate and key, and the CA its clients' certificates must be
 * signed by ({@code --tls-cert-file}, {@code --tls-private-key-file}, {@code --client-ca-file}).
 * {@code requireClientCertificate}: the api-server asks for a certificate but lets a call without
 * one through to a bearer token (OPTIONAL); the kubelet takes only a certificate (REQUIRE). Either
 * way a certificate that is presented must verify, or the handshake fails.
 */
public record ServingTls(Path certFile, Path keyFile, Path clientCaFile) {
  public ServingTls {
    for (var f : new Path[] {certFile, keyFile, clientCaFile}) {
      if (f == null || !Files.isReadable(f)) {
        throw new IllegalArgumentException("TLS file " + f + " does not exist or cannot be read "
            + "(certificate " + certFile + ", key " + keyFile + ", client CA " + clientCaFile + ")");
      }
    }
  }

  /**
   * The certificate, followed by the CA that signed it when that is the client CA: a joining
   * kubelet reads the cluster CA from this chain before it trusts anything, and checks it against
   * its --ca-cert-hash pin (kubeadm's token discovery, which reads it from an insecure connection
   * too). A CA in the chain changes nothing for a client that already trusts it.
   */
  private X509Certificate[] chain() throws IOException {
    X509Certificate leaf = PemFiles.readCertificate(certFile);
    X509Certificate ca = PemFiles.readCertificate(clientCaFile);
    return Certificates.signedBy(leaf, ca) && !leaf.equals(ca)
        ? new X509Certificate[] {leaf, ca} : new X509Certificate[] {leaf};
  }

  public SslContext sslContext(boolean requireClientCertificate) {
    try {
      return GrpcSslContexts.configure(SslContextBuilder.forServer(PemFiles.readKey(keyFile), chain()))
          .trustManager(clientCaFile.toFile())
          .clientAuth(requireClientCertificate ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL)
          .build();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot serve TLS with certificate " + certFile + ", key " + keyFile
          + " and client CA " + clientCaFile + ": " + e.getMessage(), e);
    }
  }
}
