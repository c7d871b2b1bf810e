package io.minik8s.mkctl;

import io.minik8s.client.tls.ClientTls;

/** Where mkctl connects and how: the api-server addresses, and the TLS files (or plain text). */
public record Connection(String servers, ClientTls tls) {}
