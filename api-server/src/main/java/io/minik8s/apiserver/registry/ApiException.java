package io.minik8s.apiserver.registry;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.client.api.ResourceType;

/**
 * An error the api-server returns to its client: a gRPC status code standing for Kubernetes'
 * HTTP status, and a message worded as Kubernetes words it.
 */
public final class ApiException extends RuntimeException {
  private final Status.Code code;

  private ApiException(Status.Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public Status.Code code() {
    return code;
  }

  public StatusRuntimeException toStatus() {
    return Status.fromCode(code).withDescription(getMessage()).asRuntimeException();
  }

  public static ApiException notFound(ResourceType type, String name) {
    return new ApiException(Status.Code.NOT_FOUND, type.qualifiedResource() + " \"" + name + "\" not found");
  }

  public static ApiException alreadyExists(ResourceType type, String name) {
    return new ApiException(Status.Code.ALREADY_EXISTS, type.qualifiedResource() + " \"" + name + "\" already exists");
  }

  public static ApiException conflict(ResourceType type, String name, String detail) {
    return new ApiException(Status.Code.ABORTED,
        "Operation cannot be fulfilled on " + type.qualifiedResource() + " \"" + name + "\": " + detail);
  }

  public static ApiException modified(ResourceType type, String name) {
    return conflict(type, name,
        "the object has been modified; please apply your changes to the latest version and try again");
  }

  public static ApiException invalid(String message) {
    return new ApiException(Status.Code.INVALID_ARGUMENT, message);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(Status.Code.INVALID_ARGUMENT, message);
  }

  public static ApiException forbidden(String message) {
    return new ApiException(Status.Code.PERMISSION_DENIED, message);
  }

  /** Kubernetes' 410 Gone: the watch's resourceVersion is older than what is kept. */
  public static ApiException expired(String message) {
    return new ApiException(Status.Code.OUT_OF_RANGE, message);
  }

  public static ApiException unavailable(String message) {
    return new ApiException(Status.Code.UNAVAILABLE, message);
  }
}
