package io.minik8s.client;

import com.google.protobuf.Message;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.minik8s.api.ApiGrpc;
import io.minik8s.api.DeleteRequest;
import io.minik8s.api.DeleteResponse;
import io.minik8s.api.GetRequest;
import io.minik8s.api.ListRequest;
import io.minik8s.api.ListResponse;
import io.minik8s.api.Object;
import io.minik8s.api.UpdateRequest;
import io.minik8s.api.CreateRequest;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import io.minik8s.client.grpc.BearerToken;
import io.minik8s.client.grpc.StaticAddressResolverProvider;
import io.minik8s.client.pager.ListPager;
import io.minik8s.client.tls.ClientTls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The client every component and mkctl use to talk to the api-server. It takes several
 * api-server addresses and fails over between them (gRPC pick_first over a static address list,
 * with transparent retries of calls that never reached a server), and offers typed helpers on top
 * of the generic {@code Api} service. Lists are read in pages ({@link ListPager}).
 *
 * <p>It speaks mutual TLS ({@link ClientTls}): the api-server's certificate must be signed by the
 * cluster CA and name the address dialled, so every api-server's certificate carries every
 * control-plane address ({@code mkctl pki init --san}) and failover between them still works.
 */
public final class ApiClient implements AutoCloseable {
  /**
   * The largest response accepted: one object is at most 1.5 MiB (etcd's limit) and lists come in
   * pages of {@link ListPager#DEFAULT_PAGE_SIZE}, so this leaves a wide margin; a page that is still
   * larger is asked again smaller, and a list asked for without a limit that is larger fails here
   * (RESOURCE_EXHAUSTED) instead of growing the heap without bound.
   */
  public static final int MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

  /**
   * The methods a failed call (UNAVAILABLE: the server went away) may be sent again for. Reads and
   * watches are safe; so is a replace (update, update-status, scale), which writes the same object
   * again, and with a resourceVersion a repeat of one that had committed fails as a conflict
   * instead of applying twice. A create, delete, binding or exec that may have committed is never
   * repeated blindly: a create with generateName would make a second object. gRPC still retries
   * transparently any call that never left the client, whatever the method.
   */
  static final List<String> RETRIED_METHODS =
      List.of("Get", "List", "Watch", "GetScale", "PodLogs", "Update", "UpdateStatus", "UpdateScale");

  static {
    NameResolverRegistry.getDefaultRegistry().register(new StaticAddressResolverProvider());
  }

  private final ManagedChannel channel;
  private final ApiGrpc.ApiBlockingStub blocking;
  private final ApiGrpc.ApiStub async;
  private final String servers;
  private final ClientTls tls;
  private final String bearerToken;

  private ApiClient(String servers, ClientTls tls, String bearerToken) {
    this.servers = servers;
    this.tls = tls;
    this.bearerToken = bearerToken;
    Map<String, ?> retry = Map.of(
        "maxAttempts", 5.0,
        "initialBackoff", "0.1s",
        "maxBackoff", "2s",
        "backoffMultiplier", 2.0,
        "retryableStatusCodes", List.of("UNAVAILABLE"));
    Map<String, ?> serviceConfig = Map.of(
        "loadBalancingConfig", List.of(Map.of("pick_first", Map.of())),
        "methodConfig", List.of(Map.of(
            "name", RETRIED_METHODS.stream().map(m -> Map.of("service", "minik8s.Api", "method", m)).toList(),
            "retryPolicy", retry)));
    NettyChannelBuilder builder = NettyChannelBuilder.forTarget(StaticAddressResolverProvider.SCHEME + ":///" + servers)
        .defaultServiceConfig(serviceConfig)
        .enableRetry()
        .maxInboundMessageSize(MAX_RESPONSE_BYTES)
        // An api-server cut off the network (its VM partitioned) sends no RST: only a keepalive ping
        // left unanswered tells the transport it is gone, and pick_first moves on to the next
        // address. 10 s (the api-server's permitKeepAliveTime) + 5 s keeps that under a leader
        // lease (15 s), so a standby controller reaches a live api-server before the lease expires;
        // at 30 s + 20 s it took 26 s on the multi-VM bed (MultiVmTest).
        .keepAliveTime(10, TimeUnit.SECONDS)
        .keepAliveTimeout(5, TimeUnit.SECONDS);
    tls.sslContext().ifPresentOrElse(builder::sslContext, builder::usePlaintext);
    if (bearerToken != null) {
      builder.intercept(new BearerToken(bearerToken));
    }
    this.channel = builder.build();
    this.blocking = ApiGrpc.newBlockingStub(channel);
    this.async = ApiGrpc.newStub(channel);
  }

  /** Connects to {@code host:port[,host:port...]} over TLS as {@code tls} says. */
  public static ApiClient connect(String servers, ClientTls tls) {
    return connect(servers, tls, null);
  }

  /**
   * Connects to {@code host:port[,host:port...]} over TLS as {@code tls} says, and authenticates
   * every call with this bearer token as well (null: none; the client certificate, if any, alone).
   */
  public static ApiClient connect(String servers, ClientTls tls, String bearerToken) {
    if (servers == null || servers.isBlank()) {
      throw new IllegalArgumentException("no api-server address given");
    }
    return new ApiClient(servers.replace(" ", ""), tls, bearerToken);
  }

  /** Connects in plain text: only an api-server started with {@code --insecure-plaintext} answers. */
  public static ApiClient connect(String servers) {
    return connect(servers, ClientTls.plaintext());
  }

  public String servers() {
    return servers;
  }

  /** How this client reaches the api-servers; a second client to them (mkctl logs) uses the same. */
  public ClientTls tls() {
    return tls;
  }

  /** The bearer token every call carries, or null. */
  public String bearerToken() {
    return bearerToken;
  }

  public ApiGrpc.ApiBlockingStub blocking() {
    return blocking;
  }

  /** A blocking stub whose calls fail with DEADLINE_EXCEEDED after the given time. */
  public ApiGrpc.ApiBlockingStub blocking(long timeout, TimeUnit unit) {
    return blocking.withDeadlineAfter(timeout, unit);
  }

  public ApiGrpc.ApiStub async() {
    return async;
  }

  public ManagedChannel channel() {
    return channel;
  }

  // ------------------------------------------------------------------ typed helpers

  public <T extends Message> T create(T obj) {
    return unwrap(blocking.create(CreateRequest.newBuilder().setObject(KubeObjects.wrap(obj)).build()));
  }

  public <T extends Message> T get(ResourceType type, String namespace, String name) {
    return unwrap(blocking.get(GetRequest.newBuilder()
        .setResource(type.resource()).setNamespace(nz(namespace)).setName(name).build()));
  }

  /** Like {@link #get} but empty when the object does not exist. */
  public <T extends Message> Optional<T> find(ResourceType type, String namespace, String name) {
    try {
      return Optional.of(get(type, namespace, name));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The whole list, read in pages at one revision: all items, the list's resourceVersion, no continue token. */
  public ListResponse listRaw(ResourceType type, String namespace, String labelSelector, String fieldSelector) {
    return new ListPager(blocking::list, ListPager.DEFAULT_PAGE_SIZE).listAll(ListRequest.newBuilder()
        .setResource(type.resource()).setNamespace(nz(namespace))
        .setLabelSelector(nz(labelSelector)).setFieldSelector(nz(fieldSelector)).build());
  }

  public <T extends Message> List<T> list(ResourceType type, String namespace, String labelSelector) {
    List<T> out = new ArrayList<>();
    for (Object o : listRaw(type, namespace, labelSelector, "").getItemsList()) {
      out.add(unwrap(o));
    }
    return out;
  }

  public <T extends Message> T update(T obj) {
    return unwrap(blocking.update(UpdateRequest.newBuilder().setObject(KubeObjects.wrap(obj)).build()));
  }

  public <T extends Message> T updateStatus(T obj) {
    return unwrap(blocking.updateStatus(UpdateRequest.newBuilder().setObject(KubeObjects.wrap(obj)).build()));
  }

  public DeleteResponse delete(ResourceType type, String namespace, String name) {
    return blocking.delete(DeleteRequest.newBuilder()
        .setResource(type.resource()).setNamespace(nz(namespace)).setName(name).build());
  }

  public DeleteResponse delete(DeleteRequest request) {
    return blocking.delete(request);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message> T unwrap(Object o) {
    return (T) KubeObjects.unwrap(o);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /** The type of an object, for callers that hold a message. */
  public static ResourceType typeOf(Message m) {
    return Resources.of(m);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
