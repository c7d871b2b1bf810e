package io.minik8s.apiserver.rest;

import com.google.protobuf.Message;
import io.grpc.stub.ServerCallStreamObserver;
import io.minik8s.api.WatchEvent;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A watch's events as Kubernetes' REST API streams them (watch.Event in
 * staging/src/k8s.io/apiserver/pkg/endpoints/handlers/watch.go): one JSON object
 * {@code {"type": ..., "object": ...}} per line of a chunked response; an error that ends the
 * watch, "too old resource version" above all, is an ERROR event carrying a Status (410 Expired),
 * on which clients list again.
 *
 * <p>It is the gRPC API's own watch (the same {@link io.minik8s.apiserver.watch.Watcher} and
 * watch cache) that writes here: this class is the server stream it writes to. Its flow control is
 * the TCP connection's: {@link #isReady} is Netty's writability, so a client that stops reading
 * holds the watcher's buffer and is cut off past its limit, exactly as on gRPC. The client closing
 * the connection, or {@code timeoutSeconds} passing, cancels the watch.
 */
final class WatchStream extends ServerCallStreamObserver<WatchEvent> {
  private final Channel channel;
  private final ResourceType type;
  private final Function<Message, Object> encoder;
  private final AtomicBoolean ended = new AtomicBoolean();
  /** Lines written before the response began: the watch may fail before it starts. */
  private final List<Object> pending = new ArrayList<>();
  private boolean begun;
  private Throwable earlyError;
  private volatile Runnable onReady = () -> { };
  private volatile Runnable onCancel = () -> { };

  /** encoder: how an object is written (the object, or a Table row of it). */
  WatchStream(Channel channel, ResourceType type, Function<Message, Object> encoder) {
    this.channel = channel;
    this.type = type;
    this.encoder = encoder;
    channel.closeFuture().addListener(f -> cancel());
  }

  /**
   * Starts the response once the API has taken the watch. An error before that (forbidden, a bad
   * selector) is returned instead, for an HTTP error response; only "expired" is answered as
   * Kubernetes does, with a 200 and an ERROR event.
   */
  synchronized Throwable begin(String contentType) {
    if (earlyError != null && KubeStatus.of(earlyError).code() != 410) {
      return earlyError;
    }
    DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
    channel.write(head);
    begun = true;
    pending.forEach(this::write);
    pending.clear();
    if (ended.get()) {
      channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    } else {
      channel.flush();
    }
    return null;
  }

  /** Ends the watch from this side: the watcher stops and the response is completed. */
  void cancel() {
    onCancel.run();
  }

  /** Netty's writability changed: the watcher may send again. */
  void writabilityChanged() {
    if (channel.isWritable()) {
      onReady.run();
    }
  }

  @Override
  public void onNext(WatchEvent event) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", event.getType());
    line.put("object", event.getType().equals("BOOKMARK") ? bookmark(event) : encoder.apply(KubeObjects.unwrap(event.getObject())));
    write(line);
  }

  /** Kubernetes' bookmark: an object of the watched kind with only its resourceVersion. */
  private Map<String, Object> bookmark(WatchEvent event) {
    Map<String, Object> obj = new LinkedHashMap<>();
    obj.put("kind", type.kind());
    obj.put("apiVersion", type.apiVersion());
    obj.put("metadata", Map.of("resourceVersion", event.getResourceVersion()));
    return obj;
  }

  private synchronized void write(Object line) {
    if (!begun) {
      pending.add(line);
      return;
    }
    byte[] json = Json.bytes(line);
    byte[] out = new byte[json.length + 1];
    System.arraycopy(json, 0, out, 0, json.length);
    out[json.length] = '\n';
    channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(out)));
  }

  @Override
  public synchronized void onError(Throwable t) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    if (!begun) {
      earlyError = t;
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "ERROR");
    line.put("object", KubeStatus.of(t).toTree());
    write(line);
    if (begun) {
      channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }
  }

  @Override
  public synchronized void onCompleted() {
    if (ended.compareAndSet(false, true) && begun) {
      channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }
  }

  @Override
  public boolean isReady() {
    return channel.isWritable();
  }

  @Override
  public void setOnReadyHandler(Runnable handler) {
    this.onReady = handler;
  }

  @Override
  public boolean isCancelled() {
    return !channel.isActive();
  }

  @Override
  public void setOnCancelHandler(Runnable handler) {
    this.onCancel = handler;
    if (!channel.isActive()) {
      handler.run();
    }
  }

  @Override
  public void setCompression(String compression) {
    // not for HTTP: the response is plain chunked JSON
  }

  @Override
  public void disableAutoInboundFlowControl() {
    // a watch has no inbound messages
  }

  @Override
  public void request(int count) {
    // a watch has no inbound messages
  }

  @Override
  public void setMessageCompression(boolean enable) {
    // not for HTTP
  }
}
