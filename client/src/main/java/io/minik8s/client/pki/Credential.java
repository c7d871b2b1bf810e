package io.minik8s.client.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate and its private key: a CA, or one identity's leaf. */
public record Credential(X509Certificate certificate, PrivateKey key) {}
