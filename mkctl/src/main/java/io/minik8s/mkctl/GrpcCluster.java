package io.minik8s.mkctl;

import com.google.protobuf.Message;
import io.grpc.Context;
import io.minik8s.api.ApiGrpc;
import io.minik8s.api.CreateRequest;
import io.minik8s.api.DeleteRequest;
import io.minik8s.api.DeleteResponse;
import io.minik8s.api.GetRequest;
import io.minik8s.api.ListRequest;
import io.minik8s.api.ListResponse;
import io.minik8s.api.Scale;
import io.minik8s.api.SubjectAccessReview;
import io.minik8s.api.ScaleRequest;
import io.minik8s.api.UpdateRequest;
import io.minik8s.api.UpdateScaleRequest;
import io.minik8s.api.WatchEvent;
import io.minik8s.api.WatchRequest;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.pager.ListPager;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** {@link Cluster} over the api-server's gRPC {@code Api} service, through {@link ApiClient}. */
public final class GrpcCluster implements Cluster {
  /** How long one request may take, connection attempts included. */
  static final long TIMEOUT_SECONDS = 30;

  private final ApiClient client;

  public GrpcCluster(ApiClient client) {
    this.client = client;
  }

  @Override
  public SubjectAccessReview accessReview(SubjectAccessReview review) {
    return stub().createAccessReview(review);
  }

  /** Connects with the connection's TLS files and bearer token. */
  public static GrpcCluster connect(Connection connection) {
    return new GrpcCluster(connection.open());
  }

  private ApiGrpc.ApiBlockingStub stub() {
    return client.blocking(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public String servers() {
    return client.servers();
  }

  @Override
  public Message get(ResourceType type, String namespace, String name) {
    return KubeObjects.unwrap(stub().get(GetRequest.newBuilder()
        .setResource(type.resource()).setNamespace(namespace).setName(name).build()));
  }

  @Override
  public ListResult list(ResourceType type, String namespace, String labelSelector, String fieldSelector) {
    return list(type, namespace, labelSelector, fieldSelector, ListPager.DEFAULT_PAGE_SIZE);
  }

  /** Pages through the list as kubectl's --chunk-size does; each page has its own deadline. */
  @Override
  public ListResult list(ResourceType type, String namespace, String labelSelector, String fieldSelector,
                         long chunkSize) {
    ListResponse r = new ListPager(req -> stub().list(req), (int) Math.min(chunkSize, Integer.MAX_VALUE)).listAll(ListRequest.newBuilder()
        .setResource(type.resource()).setNamespace(namespace)
        .setLabelSelector(labelSelector).setFieldSelector(fieldSelector).build());
    List<Message> items = new ArrayList<>(r.getItemsCount());
    for (io.minik8s.api.Object o : r.getItemsList()) {
      items.add(KubeObjects.unwrap(o));
    }
    return new ListResult(items, r.getResourceVersion());
  }

  @Override
  public Message create(Message object) {
    return KubeObjects.unwrap(stub().create(CreateRequest.newBuilder().setObject(KubeObjects.wrap(object)).build()));
  }

  @Override
  public Message update(Message object) {
    return KubeObjects.unwrap(stub().update(UpdateRequest.newBuilder().setObject(KubeObjects.wrap(object)).build()));
  }

  @Override
  public DeleteResponse delete(DeleteRequest request) {
    return stub().delete(request);
  }

  @Override
  public Scale getScale(ResourceType type, String namespace, String name) {
    return stub().getScale(ScaleRequest.newBuilder()
        .setResource(type.resource()).setNamespace(namespace).setName(name).build());
  }

  @Override
  public Scale updateScale(ResourceType type, Scale scale) {
    return stub().updateScale(UpdateScaleRequest.newBuilder().setResource(type.resource()).setScale(scale).build());
  }

  @Override
  public void watch(WatchRequest request, Predicate<WatchEvent> onEvent) {
    // No deadline: a watch lasts until the user stops it. A cancellable context ends the
    // server stream when the consumer has had enough.
    try (Context.CancellableContext ctx = Context.current().withCancellation()) {
      ctx.run(() -> {
        Iterator<WatchEvent> events = client.blocking().watch(request);
        while (events.hasNext()) {
          if (!onEvent.test(events.next())) {
            return;
          }
        }
      });
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
