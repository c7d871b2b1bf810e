package io.minik8s.kubelet.prober;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.minik8s.api.Container;
import io.minik8s.api.HTTPGetAction;
import io.minik8s.api.IntOrString;
import io.minik8s.api.Probe;
import java.io.FileInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** httpGet probes against real servers on loopback: status codes, limits, TLS, and hostile paths. */
@Timeout(60)
class HttpProberTest {
  final Prober prober = new Prober(null);
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<AutoCloseable> servers = new CopyOnWriteArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable s : servers) {
      s.close();
    }
  }

  private int http(int status) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    serve(s, status);
    return s.getAddress().getPort();
  }

  private void serve(HttpServer s, int status) {
    s.createContext("/", ex -> {
      requests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders().keySet());
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    s.start();
    servers.add(() -> s.stop(0));
  }

  /** With a timeout long enough for a first request on a loaded machine (a JVM's first is slow). */
  private Prober.Outcome probe(String scheme, int port, String path) {
    return probe(scheme, port, path, 10);
  }

  private Prober.Outcome probe(String scheme, int port, String path, int timeoutSeconds) {
    Probe p = Probe.newBuilder().setTimeoutSeconds(timeoutSeconds).setHttpGet(HTTPGetAction.newBuilder().setScheme(scheme)
        .setPath(path).setPort(IntOrString.newBuilder().setIntVal(port))).build();
    return prober.probe(p, Container.getDefaultInstance(), "c1", "127.0.0.1");
  }

  @Test
  void aStatusBelow400SucceedsAndOthersFailWithTheirCode() throws Exception {
    assertThat(probe("HTTP", http(200), "/healthz").success()).isTrue();
    assertThat(probe("HTTP", http(302), "/healthz").success()).isTrue();
    Prober.Outcome failed = probe("HTTP", http(503), "/healthz");
    assertThat(failed.success()).isFalse();
    assertThat(failed.message()).isEqualTo("HTTP probe failed with statuscode: 503");
    assertThat(requests).allMatch(r -> r.startsWith("GET /healthz "));
  }

  @Test
  void aPathWithCrLfNeverBecomesASecondRequestOrHeader() throws Exception {
    int port = http(200);
    Prober.Outcome o = probe("HTTP", port, "/ok HTTP/1.1\r\nX-Injected: 1\r\n\r\nGET /admin");

    assertThat(o.success()).isFalse();
    assertThat(o.message()).startsWith("invalid probe request");
    assertThat(requests).as("the server saw nothing").isEmpty();
  }

  @Test
  void aServerThatNeverAnswersFailsTheProbeWithinItsTimeout() throws Exception {
    ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    servers.add(silent);
    List<Socket> held = new CopyOnWriteArrayList<>();
    Thread.ofVirtual().start(() -> {
      try {
        while (true) {
          held.add(silent.accept()); // accepted, never answered
        }
      } catch (Exception ignored) {
        // closed at the end of the test
      }
    });
    long t0 = System.nanoTime();
    Prober.Outcome o = probe("HTTP", silent.getLocalPort(), "/", 1);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertThat(o.success()).isFalse();
    assertThat(o.message()).contains("timeout after 1000ms");
    assertThat(took).isLessThan(Duration.ofSeconds(3));
    for (Socket s : held) {
      s.close();
    }
  }

  @Test
  void anEndlessBodyIsCutOffAndTheProbeStillEndsInTime() throws Exception {
    ServerSocket endless = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    servers.add(endless);
    Thread.ofVirtual().start(() -> {
      try (Socket s = endless.accept()) {
        s.getInputStream().read(new byte[1024]);
        OutputStream out = s.getOutputStream();
        out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n".getBytes());
        byte[] chunk = new byte[64 * 1024];
        while (true) {
          out.write(chunk); // no length, no end: the body goes on until the prober hangs up
        }
      } catch (Exception ignored) {
        // the prober closed the connection
      }
    });
    long t0 = System.nanoTime();
    Prober.Outcome o = probe("HTTP", endless.getLocalPort(), "/", 5);

    assertThat(o.success()).as(o.message()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the body is not read to its end").isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void schemeHttpsProbesOverTlsWithoutVerifyingTheCertificate() throws Exception {
    HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(selfSigned()));
    serve(s, 200);
    int port = s.getAddress().getPort();

    // the first TLS handshake of a JVM is slow (3 s seen here on a loaded machine): a generous timeout
    Prober.Outcome o = probe("HTTPS", port, "/secure", 20);
    assertThat(o.success()).as(o.message()).isTrue();
    assertThat(requests).singleElement().asString().startsWith("GET /secure ");
    assertThat(probe("HTTP", port, "/secure").success()).as("plain HTTP to a TLS port").isFalse();
  }

  /** A server certificate for some other name, signed by nobody: what a pod typically serves. */
  private SSLContext selfSigned() throws Exception {
    Path store = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "pod", "-keyalg", "EC", "-dname", "CN=some-pod.example", "-validity", "1",
        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "secret", "-keypass", "secret")
        .redirectErrorStream(true).start();
    String out = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor()).as(out).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(store.toFile())) {
      ks.load(in, "secret".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "secret".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }
}
