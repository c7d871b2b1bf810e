package io.minik8s.kubeproxy.dns;

import io.minik8s.kubeproxy.proxy.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link ClusterDns} over UDP and TCP (Netty's DNS codec) on one address, port 53 by default.
 *
 * <p>Plays the part of CoreDNS (github.com/coredns/coredns/plugin/kubernetes) for the names ClusterDns knows.
 */
public final class DnsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DnsServer.class);
  private static final long TTL_SECONDS = 5;

  private final ClusterDns dns;
  private final MeterRegistry metrics;
  private final EventLoopGroup group;
  private final List<Channel> channels = new ArrayList<>();

  public DnsServer(ClusterDns dns, String address, int port, Transport transport, MeterRegistry metrics)
      throws InterruptedException {
    this.dns = dns;
    this.metrics = metrics;
    this.group = transport.newGroup(1);
    Bootstrap udp = new Bootstrap().group(group).channel(transport.datagramChannel())
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new UdpHandler());
          }
        });
    ServerBootstrap tcp = new ServerBootstrap().group(group).channel(transport.serverChannel())
        .option(ChannelOption.SO_REUSEADDR, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(), new TcpHandler());
          }
        });
    if (transport.epoll()) {
      // Every node's kube-proxy on a one-host cluster serves the same DNS address.
      udp.option(EpollChannelOption.SO_REUSEPORT, true);
      tcp.option(EpollChannelOption.SO_REUSEPORT, true);
    }
    try {
      channels.add(udp.bind(address, port).sync().channel());
      channels.add(tcp.bind(address, port).sync().channel());
    } catch (InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
    log.info("serving cluster DNS on {}:{} (UDP and TCP)", address, port);
  }

  /** Fills the response for a query; shared by UDP and TCP. */
  void answer(DnsQuery query, DnsResponse response) {
    DnsQuestion q = query.recordAt(DnsSection.QUESTION);
    if (q == null) {
      response.setCode(DnsResponseCode.FORMERR);
      return;
    }
    response.addRecord(DnsSection.QUESTION, q);
    response.setRecursionDesired(query.isRecursionDesired());
    ClusterDns.Answer a = dns.resolve(q.name());
    metrics.counter("kubeproxy_dns_queries_total", "outcome", a.outcome().name().toLowerCase()).increment();
    switch (a.outcome()) {
      case NOT_OURS -> response.setCode(DnsResponseCode.REFUSED);
      case NO_SUCH_NAME -> {
        response.setAuthoritativeAnswer(true);
        response.setCode(DnsResponseCode.NXDOMAIN);
      }
      case FOUND -> {
        response.setAuthoritativeAnswer(true);
        if (q.type() == DnsRecordType.A) {
          for (String ip : a.addresses()) {
            response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(
                q.name(), DnsRecordType.A, TTL_SECONDS, Unpooled.wrappedBuffer(ipv4(ip))));
          }
        }
      }
    }
  }

  private static byte[] ipv4(String ip) {
    try {
      return InetAddress.getByName(ip).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }

  private final class UdpHandler extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
      DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
      answer(query, response);
      ctx.writeAndFlush(response);
    }
  }

  private final class TcpHandler extends SimpleChannelInboundHandler<DnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
      DnsResponse response = new DefaultDnsResponse(query.id());
      answer(query, response);
      ctx.writeAndFlush(response);
    }
  }

  @Override
  public void close() {
    for (Channel c : channels) {
      c.close().syncUninterruptibly();
    }
    group.shutdownGracefully();
  }
}
