package io.minik8s.mkctl;

import io.minik8s.client.ApiClient;
import io.minik8s.client.tls.ClientTls;

/**
 * Where mkctl connects and how: the api-server addresses, the TLS files (or plain text), and the
 * bearer token every call carries (null: none).
 */
public record Connection(String servers, ClientTls tls, String token) {
  /** A new client to the api-servers with these credentials. */
  public ApiClient open() {
    return ApiClient.connect(servers, tls, token);
  }
}
