package io.minik8s.kubeproxy.proxy;

import io.minik8s.kubeproxy.ServicePortInfo;
import io.netty.channel.EventLoopGroup;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Service proxy: one {@link ProxyListener} per Service port. {@link #sync} brings the
 * listeners in line with a new table: new ports start listening, gone ones stop, and ports that
 * stay only get their endpoint lists replaced (established connections are not disturbed).
 */
public final class TcpProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);

  private final Transport transport;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final ProxyMetrics metrics;
  private final Clock clock;
  private final Map<String, ProxyListener> listeners = new HashMap<>();

  public TcpProxy(ProxyMetrics metrics, Clock clock) {
    this(metrics, clock, Transport.best());
  }

  public TcpProxy(ProxyMetrics metrics, Clock clock, Transport transport) {
    this.metrics = metrics;
    this.clock = clock;
    this.transport = transport;
    this.boss = transport.newGroup(1);
    this.workers = transport.newGroup(0);
    log.info("proxying with Netty's {} transport", transport.epoll() ? "epoll" : "NIO");
  }

  /**
   * @param nodePortAddresses the node addresses NodePorts are served on; when they change, the
   *     listeners of NodePort Services are opened anew on the new ones
   */
  public synchronized void sync(List<ServicePortInfo> table, List<String> nodePortAddresses) {
    Map<String, ServicePortInfo> wanted = new LinkedHashMap<>();
    for (ServicePortInfo info : table) {
      wanted.put(info.name() + "|" + info.listenerKey() + "|" + info.clientIpAffinity()
          + (info.nodePort() != 0 ? "|" + nodePortAddresses : ""), info);
    }
    // Stale listeners go first: their replacement may need the same ClusterIP:port, which only
    // the epoll transport could bind twice (SO_REUSEPORT).
    listeners.entrySet().removeIf(e -> {
      if (wanted.containsKey(e.getKey())) {
        return false;
      }
      log.info("stopped proxying {}", e.getKey().substring(0, e.getKey().indexOf('|')));
      e.getValue().close();
      return true;
    });
    wanted.forEach((key, info) -> {
      ProxyListener existing = listeners.get(key);
      if (existing != null) {
        existing.update(info.endpoints());
        return;
      }
      try {
        listeners.put(key, new ProxyListener(info, nodePortAddresses, transport, boss, workers, metrics, clock));
        log.info("proxying {} on {}:{}{} to {}", info.name(), info.clusterIp(), info.port(),
            info.nodePort() != 0 ? " and node port " + info.nodePort() + " on " + nodePortAddresses : "",
            info.endpoints());
      } catch (Exception e) {
        metrics.error(info.name(), "listen_failed");
        log.warn("cannot listen for {} on {}:{}: {}", info.name(), info.clusterIp(), info.port(), e.toString());
      }
    });
  }

  public synchronized int listenerCount() {
    return listeners.size();
  }

  @Override
  public synchronized void close() {
    listeners.values().forEach(ProxyListener::close);
    listeners.clear();
    boss.shutdownGracefully();
    workers.shutdownGracefully();
  }
}
