package io.minik8s.kubeproxy.proxy;

import io.minik8s.kubeproxy.ServicePortInfo.Endpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to a Service: reads from the client only once a backend accepted, tries
 * the endpoints in turn when one refuses, then copies bytes both ways. Closing either side
 * closes the other. This is the classic Netty proxy: both channels read by hand, one read after
 * each completed write, so a slow side slows the other instead of filling memory.
 */
final class Relay extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(Relay.class);

  private final ProxyListener listener;
  private Channel backend;

  Relay(ProxyListener listener) {
    this.listener = listener;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Channel client = ctx.channel();
    client.config().setAutoRead(false);
    String clientIp = ((InetSocketAddress) client.remoteAddress()).getAddress().getHostAddress();
    List<Endpoint> candidates = listener.backends().candidates(clientIp);
    if (candidates.isEmpty()) {
      listener.metrics().error(listener.name(), "no_endpoints");
      client.close();
      return;
    }
    listener.metrics().connection(listener.name());
    connect(client, clientIp, candidates, 0);
  }

  private void connect(Channel client, String clientIp, List<Endpoint> candidates, int index) {
    if (index >= candidates.size()) {
      listener.metrics().error(listener.name(), "all_endpoints_refused");
      client.close();
      return;
    }
    Endpoint ep = candidates.get(index);
    Bootstrap b = new Bootstrap()
        .group(client.eventLoop())
        .channel(listener.transport().socketChannel())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3000)
        .option(ChannelOption.AUTO_READ, false)
        .handler(new Backward(client));
    b.connect(ep.ip(), ep.port()).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        log.debug("{}: endpoint {} refused ({}); trying the next", listener.name(), ep, f.cause().toString());
        listener.metrics().error(listener.name(), "endpoint_refused");
        connect(client, clientIp, candidates, index + 1);
        return;
      }
      backend = f.channel();
      listener.backends().used(clientIp, ep);
      listener.track(ep, client);
      client.closeFuture().addListener(x -> backend.close());
      backend.closeFuture().addListener(x -> closeOnFlush(client));
      backend.read();
      client.read();
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf) {
      listener.metrics().bytes(listener.name(), "in", buf.readableBytes());
    }
    backend.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        ctx.channel().read();
      } else {
        ctx.channel().close();
      }
    });
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    closeOnFlush(ctx.channel());
  }

  static void closeOnFlush(Channel ch) {
    if (ch.isActive()) {
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** The backend side: copies what the endpoint sends back to the client. */
  private final class Backward extends ChannelInboundHandlerAdapter {
    private final Channel client;

    Backward(Channel client) {
      this.client = client;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf buf) {
        listener.metrics().bytes(listener.name(), "out", buf.readableBytes());
      }
      client.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
        if (f.isSuccess()) {
          ctx.channel().read();
        } else {
          f.channel().close();
        }
      });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      closeOnFlush(client);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      closeOnFlush(ctx.channel());
    }
  }
}
