package io.minik8s.mkctl;

import com.google.protobuf.Message;
import io.minik8s.api.DeleteRequest;
import io.minik8s.api.DeleteResponse;
import io.minik8s.api.Scale;
import io.minik8s.api.WatchEvent;
import io.minik8s.api.WatchRequest;
import io.minik8s.client.api.ResourceType;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The api-server operations mkctl's commands use, on typed objects (a {@code Pod}, a
 * {@code Deployment}). {@link GrpcCluster} sends them to the api-server; tests use a fake.
 * Failures are gRPC {@link io.grpc.StatusRuntimeException}s, as the api-server sends them.
 */
public interface Cluster extends AutoCloseable {

  /** A list and the revision it was read at, to watch from. */
  record ListResult(List<Message> items, String resourceVersion) {}

  /** The api-server address(es), for messages. */
  String servers();

  Message get(ResourceType type, String namespace, String name);

  /** Like {@link #get}, empty when the object does not exist. */
  default Optional<Message> find(ResourceType type, String namespace, String name) {
    try {
      return Optional.of(get(type, namespace, name));
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Lists objects; an empty namespace lists all namespaces; selectors may be empty. */
  ListResult list(ResourceType type, String namespace, String labelSelector, String fieldSelector);

  /** Like {@link #list}, read from the api-server in chunks of {@code chunkSize} objects (0: all at once). */
  default ListResult list(ResourceType type, String namespace, String labelSelector, String fieldSelector,
                          long chunkSize) {
    return list(type, namespace, labelSelector, fieldSelector);
  }

  Message create(Message object);

  /** authorization.k8s.io: may the user (the caller, when the spec names none) do this? */
  default io.minik8s.api.SubjectAccessReview accessReview(io.minik8s.api.SubjectAccessReview review) {
    throw new UnsupportedOperationException("access reviews");
  }

  /** Replaces the object; its metadata.resourceVersion, when set, must still be current. */
  Message update(Message object);

  DeleteResponse delete(DeleteRequest request);

  Scale getScale(ResourceType type, String namespace, String name);

  Scale updateScale(ResourceType type, Scale scale);

  /**
   * Streams watch events to {@code onEvent} until the server ends the stream or
   * {@code onEvent} returns false.
   */
  void watch(WatchRequest request, Predicate<WatchEvent> onEvent);

  @Override
  default void close() {}
}
