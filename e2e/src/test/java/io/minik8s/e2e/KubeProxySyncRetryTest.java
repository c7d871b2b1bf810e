package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.minik8s.api.IntOrString;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.kubeproxy.KubeProxy;
import io.minik8s.kubeproxy.RecordingIps;
import io.minik8s.kubeproxy.VirtualIps;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The first {@code ip addr add} of a Service's address fails, with an Error at that: the proxy's
 * sync must survive it, count it in /metrics, and add the address again, so the Service works.
 */
@Timeout(120)
class KubeProxySyncRetryTest {
  @Test
  void aFailedAddressAddIsRetriedAndTheSyncSurvivesAnError() throws Exception {
    ControlPlane cp = ControlPlane.shared();
    String ns = Objects.freshNamespace(cp.client, "proxyretry");
    Service svc = cp.client.create(Service.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName("flaky"))
        .setSpec(ServiceSpec.newBuilder().addPorts(ServicePort.newBuilder().setName("http").setPort(80)
            .setTargetPort(IntOrString.newBuilder().setIntVal(8080))))
        .build());
    String ip = svc.getSpec().getClusterIp();
    AtomicBoolean failedOnce = new AtomicBoolean();
    HttpServer backend = null;
    try (RecordingIps lo = RecordingIps.onLoopback()) {
      // Endpoints may not point at loopback: the backend listens on an address of its own on lo
      String backendIp = "198.19." + (1 + (int) (ProcessHandle.current().pid() % 250)) + "." + (1 + (int) (System.nanoTime() % 250));
      lo.add(backendIp);
      backend = HttpServer.create(new InetSocketAddress(backendIp, 0), 0);
      backend.createContext("/", ex -> {
        byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
      });
      backend.start();
      cp.client.create(KubeProxyTest.endpoints(ns, "flaky", List.of(backend)));
      VirtualIps flaky = new VirtualIps() {
        @Override
        public void add(String address) {
          if (address.equals(ip) && failedOnce.compareAndSet(false, true)) {
            throw new ExceptionInInitializerError("injected: ip addr add " + address + " failed");
          }
          lo.add(address);
        }

        @Override
        public void remove(String address) {
          lo.remove(address);
        }
      };
      try (KubeProxy proxy = KubeProxy.start(new KubeProxy.Config("proxy-retry-node", cp.server(), "127.0.0.1", 0,
          "cluster.local", "127.0.0.54", EtcdCluster.freePort(), flaky,
          new io.minik8s.kubeproxy.NodePortAddresses(List.of("127.0.0.0/8"), "lo")), TestPki.shared().kubeProxy());
           HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> http.send(
            HttpRequest.newBuilder(URI.create("http://" + ip + ":80/")).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.ofString()).body().equals("ok"));
        assertThat(failedOnce).isTrue();
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.healthPort() + "/metrics"))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("loop_errors_total\\{[^}]*loop=\"proxy-sync\"[^}]*\\} 1\\.0");
      }
    } finally {
      if (backend != null) {
        backend.stop(0);
      }
    }
  }
}
