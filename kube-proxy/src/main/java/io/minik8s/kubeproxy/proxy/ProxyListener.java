package io.minik8s.kubeproxy.proxy;

import io.minik8s.kubeproxy.ServicePortInfo;
import io.minik8s.kubeproxy.ServicePortInfo.Endpoint;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sockets of one Service port: ClusterIP:port, and the node port on each NodePort address
 * (--nodeport-addresses) when the Service has one. Keeps the open connections by endpoint, so that when an endpoint goes away its
 * connections are closed, while connections to endpoints that stay are left alone.
 *
 * <p>Mirrors the listeners of Kubernetes' pkg/proxy/userspace/proxysocket.go (removed in 1.26).
 */
public final class ProxyListener implements AutoCloseable {
  private final String name;
  private final Backends backends;
  private final ProxyMetrics metrics;
  private final Transport transport;
  private final List<Channel> servers = new ArrayList<>();
  private final Map<Endpoint, Set<Channel>> connections = new ConcurrentHashMap<>();

  ProxyListener(ServicePortInfo info, List<String> nodePortAddresses, Transport transport, EventLoopGroup boss,
      EventLoopGroup workers, ProxyMetrics metrics, Clock clock) throws InterruptedException {
    this.name = info.name();
    this.transport = transport;
    this.metrics = metrics;
    this.backends = new Backends(info.clientIpAffinity(), Duration.ofSeconds(info.affinityTimeoutSeconds()), clock);
    backends.set(info.endpoints());
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, workers)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.AUTO_READ, false)
        // a client's FIN is an event for the Relay to pass on, not a reason to close
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new Relay(ProxyListener.this));
          }
        });
    if (transport.epoll()) {
      b.option(EpollChannelOption.SO_REUSEPORT, true);
    }
    try {
      servers.add(b.bind(info.clusterIp(), info.port()).sync().channel());
      if (info.nodePort() != 0) {
        for (String address : nodePortAddresses) {
          servers.add(b.bind(address, info.nodePort()).sync().channel());
        }
      }
    } catch (RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
  }

  String name() {
    return name;
  }

  Backends backends() {
    return backends;
  }

  ProxyMetrics metrics() {
    return metrics;
  }

  Transport transport() {
    return transport;
  }

  void track(Endpoint ep, Channel client) {
    Set<Channel> set = connections.computeIfAbsent(ep, e -> ConcurrentHashMap.newKeySet());
    set.add(client);
    client.closeFuture().addListener(f -> set.remove(client));
  }

  /** New endpoints; connections to endpoints no longer there are closed. */
  void update(List<Endpoint> endpoints) {
    backends.set(endpoints);
    Set<Endpoint> keep = new HashSet<>(endpoints);
    connections.forEach((ep, channels) -> {
      if (!keep.contains(ep)) {
        channels.forEach(Channel::close);
      }
    });
    connections.keySet().retainAll(keep);
  }

  @Override
  public void close() {
    for (Channel s : servers) {
      s.close().syncUninterruptibly();
    }
    connections.values().forEach(set -> set.forEach(Channel::close));
  }
}
