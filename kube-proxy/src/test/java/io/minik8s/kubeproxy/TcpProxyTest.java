package io.minik8s.kubeproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.kubeproxy.NamedServer.Conversation;
import io.minik8s.kubeproxy.ServicePortInfo.Endpoint;
import io.minik8s.kubeproxy.proxy.ProxyMetrics;
import io.minik8s.kubeproxy.proxy.TcpProxy;
import io.minik8s.kubeproxy.proxy.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Netty proxy on real loopback sockets: 127.0.0.77 stands in for a ClusterIP (all of 127/8 is
 * local). Runs on the best transport (epoll on Linux); {@link NioTcpProxyTest} runs it all on NIO.
 */
class TcpProxyTest {
  static final String VIP = "127.0.0.77";
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  final TcpProxy proxy = new TcpProxy(new ProxyMetrics(metrics), Clock.systemUTC(), transport());

  Transport transport() {
    return Transport.best();
  }
  final List<NamedServer> servers = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    for (NamedServer s : servers) {
      s.close();
    }
  }

  NamedServer server(String name) throws IOException {
    return server(name, Conversation.GREET_THEN_ECHO);
  }

  NamedServer server(String name, Conversation conversation) throws IOException {
    NamedServer s = new NamedServer(name, conversation);
    servers.add(s);
    return s;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Where node ports listen in these tests. */
  static final List<String> NODE = List.of("127.0.0.1");

  static ServicePortInfo info(int port, int nodePort, List<Endpoint> eps) {
    return new ServicePortInfo("default/frontend:", VIP, port, nodePort, "TCP", false, 0, eps);
  }

  static Endpoint ep(NamedServer s) {
    return new Endpoint("127.0.0.1", s.port());
  }

  /** Connects, reads the greeting line: which backend answered. */
  static String greeting(String host, int port) throws IOException {
    try (Socket s = new Socket(host, port)) {
      s.setSoTimeout(5000);
      return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }
  }

  /** Sends the request and shuts the sending side, as {@code printf ... | nc} does; then reads the whole answer. */
  static byte[] askThenHalfClose(String host, int port, byte[] request) throws IOException {
    try (Socket s = new Socket(host, port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(request);
      s.shutdownOutput();
      return s.getInputStream().readAllBytes();
    }
  }

  double bytes(String direction) {
    return metrics.counter("kubeproxy_bytes_total", "service", "default/frontend:", "direction", direction).count();
  }

  @Test
  void aClientsHalfCloseIsPassedOnAndTheAnswerStillArrives() throws Exception {
    NamedServer a = server("a", Conversation.ANSWER_AT_EOF);
    int port = freePort();
    int nodePort = freePort();
    proxy.sync(List.of(info(port, nodePort, List.of(ep(a)))), NODE);
    byte[] request = "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.UTF_8);
    String answer = "a\nGET / HTTP/1.0\r\n\r\n";
    assertThat(new String(askThenHalfClose(VIP, port, request), StandardCharsets.UTF_8)).isEqualTo(answer);
    assertThat(new String(askThenHalfClose("127.0.0.1", nodePort, request), StandardCharsets.UTF_8)).isEqualTo(answer);

    // More than the socket buffers hold: the EOF must follow the last byte, not overtake it.
    byte[] big = new byte[4 << 20];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) ('a' + i % 26);
    }
    byte[] bigAnswer = askThenHalfClose(VIP, port, big);
    assertThat(bigAnswer).hasSize(2 + big.length);
    assertThat(java.util.Arrays.copyOfRange(bigAnswer, 2, bigAnswer.length)).isEqualTo(big);

    assertThat(bytes("in")).isEqualTo(2.0 * request.length + big.length);
    assertThat(bytes("out")).isEqualTo(2.0 * answer.length() + bigAnswer.length);
    assertThat(metrics.counter("kubeproxy_connections_total", "service", "default/frontend:").count()).isEqualTo(3);
  }

  /** A connection through the proxy to a GREET_THEN_HALF_CLOSE backend, read up to that backend's EOF. */
  static Socket readUpToTheBackendsEnd(int port) throws IOException {
    Socket s = new Socket(VIP, port);
    s.setSoTimeout(5000);
    assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("a\n");
    return s;
  }

  @Test
  void aBackendsHalfCloseIsPassedOnAndTheClientMayStillSend() throws Exception {
    NamedServer a = server("a", Conversation.GREET_THEN_HALF_CLOSE);
    int port = freePort();
    proxy.sync(List.of(info(port, 0, List.of(ep(a)))), NODE);
    try (Socket s = readUpToTheBackendsEnd(port)) {
      s.getOutputStream().write("bye\n".getBytes(StandardCharsets.UTF_8));
      s.shutdownOutput();
      assertThat(a.received.poll(5, TimeUnit.SECONDS)).isEqualTo("bye\n");
    }
  }

  @Test
  void aHalfClosedConnectionToARemovedEndpointIsClosed() throws Exception {
    NamedServer a = server("a", Conversation.GREET_THEN_HALF_CLOSE);
    int port = freePort();
    proxy.sync(List.of(info(port, 0, List.of(ep(a)))), NODE);
    try (Socket s = readUpToTheBackendsEnd(port)) {
      proxy.sync(List.of(info(port, 0, List.of())), NODE);
      assertThat(a.received.poll(5, TimeUnit.SECONDS)).as("what the backend got before the proxy closed").isEmpty();
    }
  }

  @Test
  void connectionsToTheServiceAddressReachEveryEndpoint() throws Exception {
    NamedServer a = server("a");
    NamedServer b = server("b");
    NamedServer c = server("c");
    int port = freePort();
    proxy.sync(List.of(info(port, 0, List.of(ep(a), ep(b), ep(c)))), NODE);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 9; i++) {
      seen.add(greeting(VIP, port));
    }
    assertThat(seen).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void aNodePortListensOnTheNodePortAddressesOnly() throws Exception {
    NamedServer a = server("a");
    int port = freePort();
    int nodePort = freePort();
    proxy.sync(List.of(info(port, nodePort, List.of(ep(a)))), List.of("127.0.0.2", "127.0.0.3"));
    assertThat(greeting("127.0.0.2", nodePort)).isEqualTo("a");
    assertThat(greeting("127.0.0.3", nodePort)).isEqualTo("a");
    assertThatThrownBy(() -> greeting("127.0.0.1", nodePort)).as("not on other addresses")
        .isInstanceOf(java.net.ConnectException.class);

    // the node's addresses changed: the node port moves with them
    proxy.sync(List.of(info(port, nodePort, List.of(ep(a)))), List.of("127.0.0.1"));
    assertThat(greeting("127.0.0.1", nodePort)).isEqualTo("a");
    assertThatThrownBy(() -> greeting("127.0.0.2", nodePort)).isInstanceOf(java.net.ConnectException.class);
  }

  @Test
  void aRefusingEndpointIsSkippedForTheNext() throws Exception {
    NamedServer a = server("a");
    int dead = freePort(); // nothing listens there
    int port = freePort();
    proxy.sync(List.of(info(port, 0, List.of(new Endpoint("127.0.0.1", dead), ep(a)))), NODE);
    for (int i = 0; i < 6; i++) {
      assertThat(greeting(VIP, port)).isEqualTo("a");
    }
    assertThat(metrics.counter("kubeproxy_errors_total", "service", "default/frontend:", "reason", "endpoint_refused")
        .count()).isGreaterThan(0);
  }

  @Test
  void anEndpointUpdateClosesConnectionsToRemovedEndpointsOnly() throws Exception {
    NamedServer a = server("a");
    NamedServer b = server("b");
    int port = freePort();
    proxy.sync(List.of(info(port, 0, List.of(ep(a), ep(b)))), NODE);
    List<Socket> conns = new ArrayList<>();
    List<BufferedReader> readers = new ArrayList<>();
    List<String> who = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Socket s = new Socket(VIP, port);
      s.setSoTimeout(5000);
      BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      conns.add(s);
      readers.add(r);
      who.add(r.readLine());
    }
    assertThat(who).contains("a", "b");

    proxy.sync(List.of(info(port, 0, List.of(ep(a)))), NODE);

    for (int i = 0; i < conns.size(); i++) {
      Socket s = conns.get(i);
      if (who.get(i).equals("b")) {
        BufferedReader r = readers.get(i);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> r.read() == -1);
      } else {
        s.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
        assertThat(readers.get(i).readLine()).isEqualTo("ping"); // still connected, still echoing
      }
      s.close();
    }
    assertThat(greeting(VIP, port)).isEqualTo("a");
  }

  @Test
  void aRemovedServiceStopsListening() throws Exception {
    NamedServer a = server("a");
    int port = freePort();
    proxy.sync(List.of(info(port, 0, List.of(ep(a)))), NODE);
    assertThat(proxy.listenerCount()).isEqualTo(1);
    proxy.sync(List.of(), NODE);
    assertThat(proxy.listenerCount()).isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> greeting(VIP, port)).isInstanceOf(IOException.class);
  }
}
