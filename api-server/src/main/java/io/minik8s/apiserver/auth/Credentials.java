package io.minik8s.apiserver.auth;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.minik8s.client.grpc.BearerToken;
import javax.net.ssl.SSLSession;

/**
 * What a request carries to say who sends it, whatever the transport (Kubernetes' authenticators
 * read an http.Request; ours serve a gRPC call and an HTTP request alike): the Authorization
 * header, and the TLS session with the client's certificate when the connection is TLS.
 *
 * @param authorization the {@code Authorization} header or metadata value; null when absent
 * @param tlsSession the connection's TLS session; null on plain text
 */
public record Credentials(String authorization, SSLSession tlsSession) {
  /**
   * The token of {@code Authorization: Bearer <token>} (Kubernetes' request/bearertoken); empty
   * when there is no such header, it names another scheme, or the token is blank.
   */
  public java.util.Optional<String> bearerToken() {
    if (authorization == null) {
      return java.util.Optional.empty();
    }
    String[] parts = authorization.strip().split(" +", 2);
    if (parts.length != 2 || !parts[0].equalsIgnoreCase("bearer") || parts[1].isBlank()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(parts[1].strip());
  }

  /** What a gRPC call carries. */
  public static Credentials of(ServerCall<?, ?> call, Metadata headers) {
    return new Credentials(headers.get(BearerToken.AUTHORIZATION), call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
  }
}
