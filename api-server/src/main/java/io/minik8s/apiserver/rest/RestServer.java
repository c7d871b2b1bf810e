package io.minik8s.apiserver.rest;

import io.micrometer.core.instrument.MeterRegistry;
import io.minik8s.api.ApiGrpc;
import io.minik8s.apiserver.auth.AuthenticationInterceptor;
import io.minik8s.apiserver.authz.AccessControl;
import io.minik8s.apiserver.storage.SizeLimits;
import io.minik8s.client.tls.ServingTls;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' own REST API (HTTP/JSON), served by Netty beside the gRPC API so that kubectl and
 * the other Kubernetes clients drive MiniK8s unchanged. It is a second face of the same API, not a
 * second API: every request is authenticated by the same authenticators and served by the gRPC
 * service's own methods, in-process.
 */
public final class RestServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RestServer.class);

  private final EventLoopGroup boss = new NioEventLoopGroup(1);
  private final EventLoopGroup workers = new NioEventLoopGroup(2);
  private final Channel channel;

  private RestServer(String bindAddress, int port, SslContext tls, ApiGrpc.AsyncService api,
                     AuthenticationInterceptor authentication, AccessControl access, MeterRegistry metrics)
      throws InterruptedException {
    ResourceHandler resources = new ResourceHandler(api, access, new Tables(java.time.Clock.systemUTC()));
    this.channel = new ServerBootstrap().group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (tls != null) {
              ch.pipeline().addLast(tls.newHandler(ch.alloc()));
            }
            ch.pipeline().addLast(new HttpServerCodec())
                .addLast(new BodyLimit(SizeLimits.MAX_REQUEST_BYTES))
                .addLast(new RestHandler(authentication, resources, metrics));
          }
        })
        .bind(new InetSocketAddress(bindAddress, port)).sync().channel();
  }

  /**
   * Serves the REST API on bindAddress:port (0: a free port), over TLS with the gRPC API's
   * certificate and client CA when tls is given (a client certificate is asked for, not required:
   * a bearer token may stand in, as on gRPC), plain HTTP when it is null (--insecure-plaintext).
   */
  public static RestServer start(String bindAddress, int port, ServingTls tls, ApiGrpc.AsyncService api,
                                 AuthenticationInterceptor authentication, AccessControl access, MeterRegistry metrics) {
    try {
      RestServer server = new RestServer(bindAddress, port, tls == null ? null : sslContext(tls), api, authentication,
          access, metrics);
      log.info("serving Kubernetes' REST API on {}:{} ({})", bindAddress, server.port(),
          tls == null ? "HTTP, PLAIN TEXT" : "HTTPS, client certificates or bearer tokens");
      return server;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted starting the REST API", e);
    }
  }

  /** The same files as gRPC's TLS, read by the plain Netty the HTTP codec runs on (gRPC's is shaded). */
  private static SslContext sslContext(ServingTls tls) {
    try {
      return SslContextBuilder.forServer(tls.certFile().toFile(), tls.keyFile().toFile())
          .trustManager(tls.clientCaFile().toFile())
          .clientAuth(ClientAuth.OPTIONAL)
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot serve the REST API over TLS with certificate " + tls.certFile()
          + ", key " + tls.keyFile() + " and client CA " + tls.clientCaFile() + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /** Reads whole requests up to the gRPC API's limit; a bigger body is Kubernetes' 413 with a Status. */
  private static final class BodyLimit extends HttpObjectAggregator {
    BodyLimit(int maxBytes) {
      super(maxBytes);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      KubeStatus status = KubeStatus.of(413, "RequestEntityTooLarge",
          "Request entity too large: limit is " + SizeLimits.MAX_REQUEST_BYTES);
      byte[] body = Json.bytes(status.toTree());
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(body));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, Reply.JSON).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
      // the rest of the body is not read: close once the answer is out, as HttpObjectAggregator does
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
