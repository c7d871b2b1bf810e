package io.minik8s.client.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * How a client reaches a gRPC server: over TLS, trusting the server only if its certificate was
 * signed by {@code caFile} and carries the address dialled, presenting {@code certFile} and
 * {@code keyFile} as its own identity when given (mutual TLS); or, only when asked for by name, in
 * plain text. The same three files kubectl's kubeconfig names certificate-authority,
 * client-certificate and client-key.
 */
public record ClientTls(Path caFile, Path certFile, Path keyFile) {
  private static final ClientTls PLAINTEXT = new ClientTls(null, null, null);

  public ClientTls {
    if (caFile != null && (certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("a client certificate needs its key and a key its certificate: give both "
          + "(certificate " + certFile + ", key " + keyFile + ")");
    }
  }

  /** No TLS at all: for a server started with {@code --insecure-plaintext} (development only). */
  public static ClientTls plaintext() {
    return PLAINTEXT;
  }

  /** TLS trusting {@code caFile}, with this client certificate and key. */
  public static ClientTls mutual(Path caFile, Path certFile, Path keyFile) {
    return new ClientTls(require(caFile, "CA"), require(certFile, "certificate"), require(keyFile, "key"));
  }

  /** TLS trusting {@code caFile}, with no certificate of its own (a bearer token says who calls). */
  public static ClientTls serverOnly(Path caFile) {
    return new ClientTls(require(caFile, "CA"), null, null);
  }

  public boolean isPlaintext() {
    return caFile == null;
  }

  /** The client certificate, if this client has one. */
  public Optional<Path> certificate() {
    return Optional.ofNullable(certFile);
  }

  /** Netty's TLS context for gRPC, or empty in plain text. Fails naming the file that cannot be read. */
  public Optional<SslContext> sslContext() {
    if (isPlaintext()) {
      return Optional.empty();
    }
    try {
      SslContextBuilder b = GrpcSslContexts.forClient().trustManager(caFile.toFile());
      if (certFile != null) {
        b.keyManager(certFile.toFile(), keyFile.toFile());
      }
      return Optional.of(b.build());
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot use the TLS files (CA " + caFile + ", certificate " + certFile
          + ", key " + keyFile + "): " + e.getMessage(), e);
    }
  }

  private static Path require(Path file, String what) {
    if (file == null) {
      throw new IllegalArgumentException("no " + what + " file given");
    }
    if (!Files.isReadable(file)) {
      throw new UncheckedIOException(new IOException("the " + what + " file " + file + " does not exist or cannot be read"));
    }
    return file;
  }

  @Override
  public String toString() {
    return isPlaintext() ? "plain text" : "TLS (CA " + caFile + (certFile == null ? "" : ", certificate " + certFile) + ")";
  }
}
