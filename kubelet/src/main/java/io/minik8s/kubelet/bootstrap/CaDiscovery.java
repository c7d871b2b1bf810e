package io.minik8s.kubelet.bootstrap;

import io.minik8s.client.bootstrap.CaCertHash;
import io.minik8s.client.pki.Certificates;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Finds the cluster CA without trusting anyone first, as kubeadm's token discovery does
 * (cmd/kubeadm/app/discovery/token/token.go): it opens a TLS connection that accepts any server,
 * reads the chain the api-server presents (its certificate, then the CA that signed it), and
 * takes the CA only if the hash of its public key is the {@code --ca-cert-hash} pin and it did sign
 * the server's certificate. Nothing is sent on that connection: the bootstrap token goes only over
 * a connection verified against the pinned CA, so a man in the middle learns no token and cannot
 * hand the node his own CA.
 */
public final class CaDiscovery {
  private CaDiscovery() {}

  /** The CA of the api-server at {@code host:port} that matches {@code pin}; fails naming what was offered. */
  public static X509Certificate discover(String hostPort, String pin, int timeoutMillis) throws IOException {
    String canonicalPin = CaCertHash.parse(pin);
    List<X509Certificate> chain = presentedChain(hostPort, timeoutMillis);
    List<String> offered = new ArrayList<>();
    for (X509Certificate c : chain) {
      String hash = CaCertHash.of(c);
      offered.add(hash);
      if (hash.equals(canonicalPin) && c.getBasicConstraints() >= 0 && Certificates.signedBy(chain.get(0), c)) {
        return c;
      }
    }
    throw new IOException("the api-server at " + hostPort + " presented no CA matching --ca-cert-hash " + canonicalPin
        + " (it offered " + offered + "): refusing to join a cluster whose CA is not the pinned one");
  }

  private static List<X509Certificate> presentedChain(String hostPort, int timeoutMillis) throws IOException {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) {
      throw new IOException("api-server address " + hostPort + " has no port");
    }
    String host = hostPort.substring(0, colon);
    int port = Integer.parseInt(hostPort.substring(colon + 1));
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new AcceptAny()}, null);
      try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
        s.connect(new java.net.InetSocketAddress(host, port), timeoutMillis);
        s.setSoTimeout(timeoutMillis);
        SSLParameters params = s.getSSLParameters();
        params.setApplicationProtocols(new String[] {"h2"});
        s.setSSLParameters(params);
        s.startHandshake();
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : s.getSession().getPeerCertificates()) {
          out.add((X509Certificate) c);
        }
        return out;
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS to " + hostPort + ": " + e.getMessage(), e);
    }
  }

  /** Accepts any server: only for reading the chain, which the pin then decides on. */
  private static final class AcceptAny implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) { }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) { }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
