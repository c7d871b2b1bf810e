package io.minik8s.kubelet.prober;

import io.minik8s.api.HTTPGetAction;
import io.minik8s.api.HTTPHeader;
import io.minik8s.kubelet.prober.Prober.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * An httpGet probe through the JDK's HTTP client (Kubernetes' pkg/probe/http/http.go): the path
 * and headers go through a real request builder, never into a hand-written request line; the whole
 * probe, body included, ends within the probe's timeout, and at most {@link #MAX_BODY} bytes of the
 * body are read. {@code scheme: HTTPS} probes over TLS without verifying the certificate, as the
 * kubelet does: a pod's serving certificate is rarely issued for its IP.
 */
final class HttpProber {
  /** Kubernetes' maxRespBodyLength: 10 KiB. */
  static final int MAX_BODY = 10 * 1024;
  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade");

  private final HttpClient http = client(null);
  private final HttpClient https = client(insecureTls());

  private static HttpClient client(SSLContext tls) {
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (tls != null) {
      b.sslContext(tls);
    }
    return b.build();
  }

  Outcome get(HTTPGetAction action, String host, int port, Duration timeout) {
    boolean tls = action.getScheme().equals("HTTPS");
    String path = action.getPath().isEmpty() ? "/" : action.getPath();
    String hostPart = host.contains(":") ? "[" + host + "]" : host;
    URI uri;
    HttpRequest.Builder request;
    try {
      uri = new URI((tls ? "https" : "http") + "://" + hostPart + ":" + port + (path.startsWith("/") ? "" : "/") + path);
      request = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "kube-probe/minik8s")
          .header("Accept", "*/*");
      for (HTTPHeader h : action.getHttpHeadersList()) {
        if (!RESTRICTED.contains(h.getName().toLowerCase(java.util.Locale.ROOT))) {
          request.setHeader(h.getName(), h.getValue());
        }
      }
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      // validation refuses such paths and headers now; a pod stored before it did still gets here
      return new Outcome(false, "invalid probe request: " + e.getMessage());
    }
    AtomicReference<InputStream> body = new AtomicReference<>();
    CompletableFuture<Outcome> probe = (tls ? https : http)
        .sendAsync(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream())
        .thenApply(response -> {
          body.set(response.body());
          try (InputStream in = response.body()) {
            in.readNBytes(MAX_BODY); // Kubernetes keeps it as the probe's output; here it is only drained
            int code = response.statusCode();
            if (code >= 200 && code < 400) {
              return new Outcome(true, "");
            }
            return new Outcome(false, "HTTP probe failed with statuscode: " + code);
          } catch (IOException e) {
            return new Outcome(false, "Get \"" + uri + "\": " + e);
          }
        });
    try {
      return probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      probe.cancel(true);
      closeQuietly(body.get()); // a body that trickles in forever is cut off with the probe
      return new Outcome(false, "Get \"" + uri + "\": timeout after " + timeout.toMillis() + "ms");
    } catch (ExecutionException e) {
      return new Outcome(false, "Get \"" + uri + "\": " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, "interrupted");
    }
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // the probe has failed already; nothing more to tell
      }
    }
  }

  /** TLS that accepts any certificate for any name: the kubelet's InsecureSkipVerify for probes. */
  private static SSLContext insecureTls() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JDK", e);
    }
  }

  /** An extended trust manager, so that the JDK does not add its own host name check around it. */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
