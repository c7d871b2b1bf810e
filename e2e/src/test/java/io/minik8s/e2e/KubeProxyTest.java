package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.IntOrString;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.client.api.Resources;
import io.minik8s.kubeproxy.KubeProxy;
import io.minik8s.kubeproxy.NodePortAddresses;
import io.minik8s.kubeproxy.RecordingIps;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kube-proxy against a real api-server: a Service with hand-written Endpoints (a Service
 * without a selector, as Kubernetes allows) in front of HTTP servers on this host. The ClusterIP
 * is really bound on lo, so this needs root, as kube-proxy does. The backends listen on an
 * address of the benchmarking block (198.18.0.0/15) put on lo for the test: Endpoints may not
 * point at loopback.
 */
@Timeout(120)
class KubeProxyTest {
  final List<HttpServer> backends = new ArrayList<>();
  final RecordingIps lo = RecordingIps.onLoopback();
  final String backendIp = "198.18." + (1 + (int) (ProcessHandle.current().pid() % 250)) + "."
      + (1 + (int) (System.nanoTime() % 250));

  @BeforeEach
  void backendAddress() {
    lo.add(backendIp);
  }

  @AfterEach
  void stop() {
    backends.forEach(s -> s.stop(0));
    lo.close();
  }

  HttpServer backend(String name) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(backendIp, 0), 0);
    s.createContext("/", ex -> {
      byte[] body = name.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    s.start();
    backends.add(s);
    return s;
  }

  /** One request on a connection of its own (a shared client would reuse one connection, one backend). */
  String get(String ip, int port) throws Exception {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
      return http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + "/")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  static Endpoints endpoints(String ns, String name, List<HttpServer> servers) {
    Endpoints.Builder e = Endpoints.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName(name));
    for (HttpServer s : servers) {
      e.addSubsets(EndpointSubset.newBuilder()
          .addAddresses(EndpointAddress.newBuilder().setIp(s.getAddress().getAddress().getHostAddress()))
          .addPorts(EndpointPort.newBuilder().setName("http").setPort(s.getAddress().getPort()).setProtocol("TCP")));
    }
    return e.build();
  }

  @Test
  void aServiceAddressReachesItsEndpointsAndFollowsEndpointChanges() throws Exception {
    ControlPlane cp = ControlPlane.shared();
    String ns = Objects.freshNamespace(cp.client, "proxy");
    int dnsPort = EtcdCluster.freePort();
    Service svc = cp.client.create(Service.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName("hello"))
        .setSpec(ServiceSpec.newBuilder().setType("NodePort").addPorts(ServicePort.newBuilder().setName("http").setPort(80)
            .setTargetPort(IntOrString.newBuilder().setIntVal(8080))))
        .build());
    String ip = svc.getSpec().getClusterIp();
    int nodePort = svc.getSpec().getPorts(0).getNodePort();
    HttpServer a = backend("a");
    HttpServer b = backend("b");
    cp.client.create(endpoints(ns, "hello", List.of(a, b)));
    try (KubeProxy proxy = KubeProxy.start(new KubeProxy.Config("proxy-test-node", cp.server(), "127.0.0.1", 0,
        "cluster.local", "127.0.0.54", dnsPort, lo, new NodePortAddresses(List.of("127.0.0.0/8"), "lo")), TestPki.shared().kubeProxy())) {
      Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> get(ip, 80).length() == 1);
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 10; i++) {
        seen.add(get(ip, 80));
      }
      assertThat(seen).containsExactlyInAnyOrder("a", "b");
      assertThat(get("127.0.0.1", nodePort)).isIn("a", "b");

      // b goes away from the Endpoints: only a answers, at once after the update arrives.
      Endpoints current = cp.client.get(Resources.ENDPOINTS, ns, "hello");
      cp.client.update(endpoints(ns, "hello", List.of(a)).toBuilder().setMetadata(current.getMetadata()).build());
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
        Set<String> now = new HashSet<>();
        for (int i = 0; i < 6; i++) {
          now.add(get(ip, 80));
        }
        return now.equals(Set.of("a"));
      });
    }
  }

  @Test
  void byDefaultANodePortIsServedOnTheNodesAddressesButNotOnLoopback() throws Exception {
    ControlPlane cp = ControlPlane.shared();
    String ns = Objects.freshNamespace(cp.client, "proxy-np");
    Service svc = cp.client.create(Service.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName("hello"))
        .setSpec(ServiceSpec.newBuilder().setType("NodePort").addPorts(ServicePort.newBuilder().setName("http").setPort(80)
            .setTargetPort(IntOrString.newBuilder().setIntVal(8080))))
        .build());
    int nodePort = svc.getSpec().getPorts(0).getNodePort();
    cp.client.create(endpoints(ns, "hello", List.of(backend("a"))));
    NodePortAddresses byDefault = new NodePortAddresses(List.of(), "lo");
    List<String> nodeAddresses = byDefault.current();
    assertThat(nodeAddresses).as("this host has a non-loopback address (docker0 at least)").isNotEmpty()
        .noneMatch(a -> a.startsWith("127."));

    try (KubeProxy proxy = KubeProxy.start(new KubeProxy.Config("proxy-np-node", cp.server(), "127.0.0.1", 0,
        "cluster.local", "127.0.0.54", EtcdCluster.freePort(), lo, byDefault), TestPki.shared().kubeProxy())) {
      Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
          .until(() -> get(nodeAddresses.get(0), nodePort).equals("a"));
      assertThat(get(svc.getSpec().getClusterIp(), 80)).isEqualTo("a");
      assertThatThrownBy(() -> get("127.0.0.1", nodePort)).as("no NodePort on loopback")
          .isInstanceOf(java.net.ConnectException.class);
    }
  }
}
