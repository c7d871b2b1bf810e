package io.minik8s.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.minik8s.api.ApiGrpc;
import io.minik8s.api.CreateRequest;
import io.minik8s.api.DeleteRequest;
import io.minik8s.api.DeleteResponse;
import io.minik8s.api.GetRequest;
import io.minik8s.api.Object;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.UpdateRequest;
import io.minik8s.client.api.Resources;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client sends a failed call again only where a repeat is safe: a server that answers every
 * call UNAVAILABLE (as one that lost etcd after committing would) sees a create, a delete once,
 * and a get or an update several times.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RetryPolicyTest {
  private final AtomicInteger creates = new AtomicInteger();
  private final AtomicInteger deletes = new AtomicInteger();
  private final AtomicInteger gets = new AtomicInteger();
  private final AtomicInteger updates = new AtomicInteger();
  private Server server;
  private ApiClient client;

  @BeforeEach
  void start() throws Exception {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new ApiGrpc.ApiImplBase() {
          @Override
          public void create(CreateRequest req, StreamObserver<Object> out) {
            unavailable(creates, out);
          }

          @Override
          public void delete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
            unavailable(deletes, out);
          }

          @Override
          public void get(GetRequest req, StreamObserver<Object> out) {
            unavailable(gets, out);
          }

          @Override
          public void update(UpdateRequest req, StreamObserver<Object> out) {
            unavailable(updates, out);
          }
        })
        .build()
        .start();
    client = ApiClient.connect("127.0.0.1:" + server.getPort());
  }

  /** Counts the call and fails it as an api-server that lost etcd mid-write would. */
  private static void unavailable(AtomicInteger calls, StreamObserver<?> out) {
    calls.incrementAndGet();
    out.onError(Status.UNAVAILABLE.withDescription("etcd timed out").asRuntimeException());
  }

  @AfterEach
  void stop() {
    client.close();
    server.shutdownNow();
  }

  private static Pod pod() {
    return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("default").setGenerateName("web-")).build();
  }

  @Test
  void aCreateThatMayHaveCommittedIsNotSentAgain() {
    assertThatThrownBy(() -> client.create(pod()))
        .isInstanceOf(StatusRuntimeException.class)
        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(creates).hasValue(1);
  }

  @Test
  void aDeleteIsNotSentAgain() {
    assertThatThrownBy(() -> client.delete(Resources.PODS, "default", "web"))
        .isInstanceOf(StatusRuntimeException.class);
    assertThat(deletes).hasValue(1);
  }

  @Test
  void readsAndReplacesAreRetried() {
    assertThatThrownBy(() -> client.get(Resources.PODS, "default", "web")).isInstanceOf(StatusRuntimeException.class);
    assertThat(gets).hasValue(5);
    Pod withVersion = pod().toBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName("web").setResourceVersion("7")).build();
    assertThatThrownBy(() -> client.update(withVersion)).isInstanceOf(StatusRuntimeException.class);
    assertThat(updates).hasValue(5);
  }
}
