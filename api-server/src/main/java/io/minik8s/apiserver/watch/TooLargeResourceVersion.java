package io.minik8s.apiserver.watch;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A watch asked for a resourceVersion etcd has not reached, even after waiting a while. As in
 * Kubernetes (apiserver's storage.NewTooLargeResourceVersionError: a Timeout carrying
 * "Too large resource version" and Retry-After: 1), the client is told to try again shortly:
 * UNAVAILABLE with gRPC's retry pushback, which grpc-java's retry policy honours.
 */
public final class TooLargeResourceVersion extends RuntimeException {
  static final Metadata.Key<String> RETRY_PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);
  private static final long RETRY_AFTER_MS = 1000;

  TooLargeResourceVersion(long requested, long current) {
    super("Too large resource version: " + requested + ", current: " + current);
  }

  public StatusRuntimeException toStatus() {
    Metadata trailers = new Metadata();
    trailers.put(RETRY_PUSHBACK, Long.toString(RETRY_AFTER_MS));
    return Status.UNAVAILABLE.withDescription(getMessage()).asRuntimeException(trailers);
  }
}
