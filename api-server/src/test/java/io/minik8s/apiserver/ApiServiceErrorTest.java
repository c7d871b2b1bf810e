package io.minik8s.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.GetRequest;
import io.minik8s.apiserver.registry.Registry;
import io.minik8s.apiserver.registry.ServiceAllocator;
import io.minik8s.apiserver.storage.FakeStore;
import io.minik8s.apiserver.watch.WatchBuffers;
import io.minik8s.apiserver.watch.WatchCaches;
import io.minik8s.client.component.SupervisedLoops;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** No request escapes the handler as an Error: the caller always gets a status. */
@Timeout(30)
class ApiServiceErrorTest {
  /** A store whose reads overflow the stack, as a pathological regex or recursion would. */
  final FakeStore store = new FakeStore() {
    @Override
    public synchronized java.util.Optional<KeyValue> get(String key) {
      throw new StackOverflowError();
    }

    @Override
    public synchronized long currentRevision() {
      throw new StackOverflowError();
    }
  };
  final SupervisedLoops loops = new SupervisedLoops(new SimpleMeterRegistry(), Clock.systemUTC());
  final WatchCaches caches = new WatchCaches(store, 100, Duration.ofHours(1), loops);
  final ApiService api = new ApiService(new Registry(store, Clock.systemUTC(),
      new ServiceAllocator(store, "10.96.0.0/24", 30000, 30099)), caches,
      new WatchBuffers(1 << 20, new SimpleMeterRegistry()), new SimpleMeterRegistry(), loops,
      new io.minik8s.apiserver.authz.AccessControl(io.minik8s.apiserver.authz.Authorizer.ALWAYS_ALLOW, null, null),
      io.minik8s.client.tls.ClientTls.plaintext());

  @AfterEach
  void close() {
    caches.close();
  }

  /** Records how a call ended. */
  static final class Outcome<T> implements StreamObserver<T> {
    final CompletableFuture<Status> status = new CompletableFuture<>();

    @Override
    public void onNext(T value) {}

    @Override
    public void onError(Throwable t) {
      status.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      status.complete(Status.OK);
    }
  }

  @Test
  void aStackOverflowInAUnaryCallAnswersInternal() {
    Outcome<io.minik8s.api.Object> out = new Outcome<>();

    api.get(GetRequest.newBuilder().setResource("pods").setNamespace("default").setName("p").build(), out);

    Status status = out.status.join();
    assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(status.getDescription()).contains("StackOverflowError");
  }
}
