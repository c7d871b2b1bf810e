package io.minik8s.apiserver.rest;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.minik8s.apiserver.auth.UserInfo;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/**
 * Calls one unary method of the gRPC API in-process, as the authenticated user, and returns its
 * answer: the REST API has no path of its own to the registry, so authorization, admission,
 * validation, metrics and logging are the gRPC API's, and the two can never disagree. An error
 * comes back as the StatusRuntimeException the gRPC client would have seen (its cause, when the
 * registry threw it, the {@link io.minik8s.apiserver.registry.ApiException} itself).
 */
final class GrpcCall {
  private GrpcCall() {}

  static <Q, R> R call(UserInfo user, BiConsumer<Q, StreamObserver<R>> method, Q request) {
    CompletableFuture<R> result = new CompletableFuture<>();
    StreamObserver<R> observer = new StreamObserver<>() {
      @Override
      public void onNext(R value) {
        result.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        result.complete(null);
      }
    };
    Context.current().withValue(UserInfo.KEY, user).run(() -> method.accept(request, observer));
    try {
      return result.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the API", e);
    }
  }
}
