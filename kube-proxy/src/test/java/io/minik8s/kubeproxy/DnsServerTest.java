package io.minik8s.kubeproxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.api.ServiceSpec;
import io.minik8s.kubeproxy.dns.ClusterDns;
import io.minik8s.kubeproxy.dns.DnsServer;
import io.minik8s.kubeproxy.proxy.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.resolver.dns.DnsErrorCauseException;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Cluster DNS over real UDP and TCP on loopback, queried with Netty's own resolver. */
class DnsServerTest {

  interface Lookup {
    Object run() throws Exception;
  }

  /** The DNS response code a failed lookup ended with. */
  static DnsResponseCode errorCode(Lookup lookup) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(lookup::run);
    while (t != null && !(t instanceof DnsErrorCauseException)) {
      t = t.getCause();
    }
    assertThat(t).as("a DNS error response").isNotNull();
    return ((DnsErrorCauseException) t).getCode();
  }

  @Test
  void answersServiceNamesOverUdpAndTcpAndNothingElse() throws Exception {
    Map<String, Service> services = Map.of("default/frontend", Service.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName("frontend"))
        .setSpec(ServiceSpec.newBuilder().setClusterIp("10.96.0.50")).build());
    ClusterDns dns = new ClusterDns("cluster.local", k -> Optional.ofNullable(services.get(k)), k -> Optional.empty());
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    EventLoopGroup group = new NioEventLoopGroup(1);
    try (DnsServer server = new DnsServer(dns, "127.0.0.53", port, Transport.best(), new SimpleMeterRegistry())) {
      for (boolean tcp : new boolean[] {false, true}) {
        DnsNameResolverBuilder builder = new DnsNameResolverBuilder(group.next())
            .channelType(NioDatagramChannel.class)
            .nameServerProvider(new SingletonDnsServerAddressStreamProvider(new InetSocketAddress("127.0.0.53", port)))
            .resolvedAddressTypes(ResolvedAddressTypes.IPV4_ONLY)
            .recursionDesired(false)
            .searchDomains(java.util.List.of())
            .queryTimeoutMillis(3000);
        if (tcp) {
          builder.socketChannelType(io.netty.channel.socket.nio.NioSocketChannel.class, true);
        }
        try (DnsNameResolver resolver = builder.build()) {
          InetAddress a = resolver.resolve("frontend.default.svc.cluster.local").get();
          assertThat(a.getHostAddress()).isEqualTo("10.96.0.50");
          assertThat(errorCode(() -> resolver.resolve("missing.default.svc.cluster.local").get()))
              .isEqualTo(DnsResponseCode.NXDOMAIN);
          // Never forwarded anywhere: the server refuses (ClusterDnsTest checks the outcome; Netty's
          // resolver reports a refusal only as a failed lookup).
          assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> resolver.resolve("example.com").get()))
              .hasCauseInstanceOf(java.net.UnknownHostException.class);
        }
      }
    } finally {
      group.shutdownGracefully();
    }
  }
}
