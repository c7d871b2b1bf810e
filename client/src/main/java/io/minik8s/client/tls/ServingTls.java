package io.minik8s.client.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

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

  public SslContext sslContext(boolean requireClientCertificate) {
    try {
      return GrpcSslContexts.forServer(certFile.toFile(), keyFile.toFile())
          .trustManager(clientCaFile.toFile())
          .clientAuth(requireClientCertificate ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL)
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot serve TLS with certificate " + certFile + ", key " + keyFile
          + " and client CA " + clientCaFile + ": " + e.getMessage(), e);
    }
  }
}
