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
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to a Service: reads from the client only once a backend accepted, tries
 * the endpoints in turn when one refuses, then copies bytes both ways. Both channels read by hand,
 * one read after each completed write, so a slow side slows the other instead of filling memory.
 *
 * <p>A half-close is passed on, as a kernel-level proxy does: when one side ends its sending
 * (read EOF; the channels allow half-closure), the other side's output is shut down once
 * everything before the EOF is written, and the other direction goes on. The connection is
 * closed when both directions have ended, or at once when either side fails or closes fully.
 *
 * <p>Both channels run on the client's event loop, so this state needs no locking.
 */
final class Relay extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(Relay.class);

  private final ProxyListener listener;
  private Channel client;
  private Channel backend;
  /** What the client sent before a backend accepted: epoll reads a socket at its FIN even unasked. */
  private final List<Object> early = new ArrayList<>();
  private boolean clientEnded;
  private int directionsEnded;

  Relay(ProxyListener listener) {
    this.listener = listener;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    client = ctx.channel();
    client.config().setAutoRead(false);
    String clientIp = ((InetSocketAddress) client.remoteAddress()).getAddress().getHostAddress();
    List<Endpoint> candidates = listener.backends().candidates(clientIp);
    if (candidates.isEmpty()) {
      listener.metrics().error(listener.name(), "no_endpoints");
      client.close();
      return;
    }
    listener.metrics().connection(listener.name());
    connect(clientIp, candidates, 0);
  }

  private void connect(String clientIp, List<Endpoint> candidates, int index) {
    if (!client.isActive()) {
      return;
    }
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
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .handler(new Backward());
    b.connect(ep.ip(), ep.port()).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        log.debug("{}: endpoint {} refused ({}); trying the next", listener.name(), ep, f.cause().toString());
        listener.metrics().error(listener.name(), "endpoint_refused");
        connect(clientIp, candidates, index + 1);
        return;
      }
      backend = f.channel();
      listener.backends().used(clientIp, ep);
      listener.track(ep, client);
      client.closeFuture().addListener(x -> backend.close());
      backend.closeFuture().addListener(x -> closeOnFlush(client));
      backend.read();
      for (Object msg : early) {
        backend.write(msg);
      }
      early.clear();
      if (clientEnded) {
        passOnEnd(backend);
      } else {
        whenWritten(backend, client::read);
      }
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    countBytes(msg, "in");
    if (backend == null) {
      early.add(msg);
      return;
    }
    forward(msg, client, backend);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      clientEnded = true;
      if (backend != null) {
        passOnEnd(backend);
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    early.forEach(ReferenceCountUtil::release);
    early.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    closeOnFlush(ctx.channel());
  }

  private void countBytes(Object msg, String direction) {
    if (msg instanceof ByteBuf buf) {
      listener.metrics().bytes(listener.name(), direction, buf.readableBytes());
    }
  }

  /** Writes what {@code from} read to {@code to}, and reads again from {@code from} once it is written. */
  private static void forward(Object msg, Channel from, Channel to) {
    to.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        from.read();
      } else {
        from.close();
      }
    });
  }

  /** Runs {@code next} once everything written to {@code ch} so far has gone out; closes it if that fails. */
  private static void whenWritten(Channel ch, Runnable next) {
    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        next.run();
      } else {
        f.channel().close();
      }
    });
  }

  /** The other side ended its sending: end ours towards {@code to} after what is still queued for it. */
  private void passOnEnd(Channel to) {
    whenWritten(to, () -> ((DuplexChannel) to).shutdownOutput().addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        f.channel().close();
      } else if (++directionsEnded == 2) {
        client.close();
        backend.close();
      }
    }));
  }

  static void closeOnFlush(Channel ch) {
    if (ch.isActive()) {
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** The backend side: copies what the endpoint sends back to the client. */
  private final class Backward extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      countBytes(msg, "out");
      forward(msg, ctx.channel(), client);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        passOnEnd(client);
        return;
      }
      ctx.fireUserEventTriggered(evt);
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
