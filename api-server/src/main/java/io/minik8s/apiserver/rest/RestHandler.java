package io.minik8s.apiserver.rest;

import io.micrometer.core.instrument.MeterRegistry;
import io.minik8s.apiserver.auth.AuthenticationInterceptor;
import io.minik8s.apiserver.auth.Credentials;
import io.minik8s.apiserver.auth.UserInfo;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each HTTP request (Kubernetes' handler chain: authentication, then discovery, version or
 * a resource path). A request is served on a virtual thread of its own: the API it calls waits on
 * etcd, which must never hold up Netty's event loop.
 */
final class RestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(RestHandler.class);
  private static final AttributeKey<WatchStream> WATCH = AttributeKey.valueOf("minik8s-watch");
  private static final ExecutorService REQUESTS = Executors.newVirtualThreadPerTaskExecutor();

  private final AuthenticationInterceptor authentication;
  private final ResourceHandler resources;
  private final MeterRegistry metrics;

  RestHandler(AuthenticationInterceptor authentication, ResourceHandler resources, MeterRegistry metrics) {
    this.authentication = authentication;
    this.resources = resources;
    this.metrics = metrics;
  }

  /** The watch this connection streams, told when the client can take more again. */
  static void watching(Channel channel, WatchStream stream) {
    channel.attr(WATCH).set(stream);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    WatchStream w = ctx.channel().attr(WATCH).get();
    if (w != null) {
      w.writabilityChanged();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    byte[] body = ByteBufUtil.getBytes(request.content());
    request.retain();
    REQUESTS.execute(() -> {
      try {
        serve(ctx, request, body);
      } finally {
        request.release();
      }
    });
  }

  private void serve(ChannelHandlerContext ctx, FullHttpRequest request, byte[] body) {
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    String path = uri.path();
    Reply reply;
    try {
      reply = route(ctx.channel(), request, uri, body);
    } catch (RestException e) {
      reply = Reply.of(e.status());
    } catch (Throwable e) {
      KubeStatus status = KubeStatus.of(e);
      if (status.code() >= 500) {
        log.error("{} {} failed", request.method(), path, e);
        metrics.counter("apiserver_rest_internal_errors_total").increment();
      }
      reply = Reply.of(status);
    }
    metrics.counter("apiserver_rest_requests_total", "verb", request.method().name(), "code",
        Integer.toString(reply.code())).increment();
    if (reply != Reply.STREAMED) {
      respond(ctx.channel(), request, reply);
    }
  }

  private Reply route(Channel channel, FullHttpRequest request, QueryStringDecoder uri, byte[] body) {
    String path = uri.path().length() > 1 && uri.path().endsWith("/")
        ? uri.path().substring(0, uri.path().length() - 1) : uri.path();
    switch (path) {
      case "/healthz", "/livez", "/readyz" -> {
        return new Reply(200, "ok", "text/plain; charset=utf-8");
      }
      case "/version" -> {
        return Reply.ok(version());
      }
      default -> { }
    }
    UserInfo user = authenticate(channel, request)
        .orElseThrow(() -> new RestException(KubeStatus.of(401, "Unauthorized", "Unauthorized")));
    if (path.equals("/openapi/v3")) {
      return Reply.ok(OpenApi.root());
    } else if (path.startsWith("/openapi/v3/")) {
      return Reply.ok(OpenApi.document(path.substring("/openapi/v3/".length())).orElseThrow(() -> notFound(path)));
    } else if (path.equals("/api")) {
      return Reply.ok(Discovery.coreVersions());
    } else if (path.equals("/apis")) {
      return Reply.ok(Discovery.groups());
    }
    String[] parts = path.substring(1).split("/");
    if (parts.length == 2 && parts[0].equals("api")) {
      return Reply.ok(Discovery.resources("", parts[1]).orElseThrow(() -> notFound(path)));
    } else if (parts.length == 2 && parts[0].equals("apis")) {
      return Reply.ok(Discovery.group(parts[1], true).orElseThrow(() -> notFound(path)));
    } else if (parts.length == 3 && parts[0].equals("apis")) {
      return Reply.ok(Discovery.resources(parts[1], parts[2]).orElseThrow(() -> notFound(path)));
    }
    ApiPath target = ApiPath.parse(path).orElseThrow(() -> notFound(path));
    RestRequest r = new RestRequest(request.method(), path, uri.parameters(), request.headers(), body, user, channel);
    return resources.serve(r, target);
  }

  private static RestException notFound(String path) {
    return new RestException(KubeStatus.notFound("the server could not find the requested resource (" + path + ")"));
  }

  private Optional<UserInfo> authenticate(Channel channel, FullHttpRequest request) {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    SSLSession session = ssl == null ? null : ssl.engine().getSession();
    return authentication.authenticate(new Credentials(request.headers().get(HttpHeaderNames.AUTHORIZATION), session));
  }

  /** Kubernetes' version.Info: kubectl's dispatcher picks the kubectl whose minor version matches. */
  static Map<String, Object> version() {
    return Map.of("major", "1", "minor", "32", "gitVersion", "v1.32.0-minik8s", "platform", "linux/amd64",
        "goVersion", "", "compiler", "", "gitCommit", "", "gitTreeState", "clean", "buildDate", "");
  }

  private static void respond(Channel channel, FullHttpRequest request, Reply reply) {
    byte[] content = reply.tree() instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : Json.bytes(reply.tree());
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(reply.code()), Unpooled.wrappedBuffer(content));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
        .setInt(HttpHeaderNames.CONTENT_LENGTH, content.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      channel.writeAndFlush(response);
    } else {
      channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("REST connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
