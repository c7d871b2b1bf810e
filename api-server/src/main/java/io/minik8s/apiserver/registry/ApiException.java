package io.minik8s.apiserver.registry;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.apiserver.admission.FieldError;
import io.minik8s.client.api.ResourceType;
import java.util.List;

/**
 * An error the api-server returns to its client: a gRPC status code standing for Kubernetes'
 * HTTP status, Kubernetes' reason (metav1.StatusReason: NotFound, Invalid, ...), the field causes
 * of an Invalid, and a message worded as Kubernetes words it. The REST API answers with all of
 * them as a Status object; gRPC carries the code and the message.
 */
public final class ApiException extends RuntimeException {
  private final Status.Code code;
  private final String reason;
  private final List<Cause> causes;

  /** One field's problem in an Invalid (metav1.StatusCause): reason FieldValueInvalid, field spec.replicas. */
  public record Cause(String reason, String field, String message) {}

  private ApiException(Status.Code code, String reason, String message) {
    this(code, reason, message, List.of());
  }

  private ApiException(Status.Code code, String reason, String message, List<Cause> causes) {
    super(message, null, false, false);
    this.code = code;
    this.reason = reason;
    this.causes = List.copyOf(causes);
  }

  public Status.Code code() {
    return code;
  }

  /** Kubernetes' StatusReason of this error. */
  public String reason() {
    return reason;
  }

  public List<Cause> causes() {
    return causes;
  }

  /**
   * The gRPC status; it keeps this exception as its cause, which never crosses the wire but lets
   * an in-process caller (the REST API) read the reason and causes.
   */
  public StatusRuntimeException toStatus() {
    return Status.fromCode(code).withDescription(getMessage()).withCause(this).asRuntimeException();
  }

  public static ApiException notFound(ResourceType type, String name) {
    return new ApiException(Status.Code.NOT_FOUND, "NotFound", type.qualifiedResource() + " \"" + name + "\" not found");
  }

  public static ApiException alreadyExists(ResourceType type, String name) {
    return new ApiException(Status.Code.ALREADY_EXISTS, "AlreadyExists", type.qualifiedResource() + " \"" + name + "\" already exists");
  }

  public static ApiException conflict(ResourceType type, String name, String detail) {
    return new ApiException(Status.Code.ABORTED, "Conflict",
        "Operation cannot be fulfilled on " + type.qualifiedResource() + " \"" + name + "\": " + detail);
  }

  public static ApiException modified(ResourceType type, String name) {
    return conflict(type, name,
        "the object has been modified; please apply your changes to the latest version and try again");
  }

  public static ApiException invalid(String message) {
    return invalid(message, List.of());
  }

  /** Kubernetes' 422 Invalid, naming each field that is wrong. */
  public static ApiException invalid(String message, List<FieldError> errors) {
    List<Cause> causes = errors.stream()
        .map(e -> new Cause(e.causeReason(), e.field(), e.causeMessage()))
        .distinct()
        .toList();
    return new ApiException(Status.Code.INVALID_ARGUMENT, "Invalid", message, causes);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(Status.Code.INVALID_ARGUMENT, "BadRequest", message);
  }

  public static ApiException forbidden(String message) {
    return new ApiException(Status.Code.PERMISSION_DENIED, "Forbidden", message);
  }

  /** Kubernetes' 410 Gone: the watch's resourceVersion is older than what is kept. */
  public static ApiException expired(String message) {
    return new ApiException(Status.Code.OUT_OF_RANGE, "Expired", message);
  }

  public static ApiException unavailable(String message) {
    return new ApiException(Status.Code.UNAVAILABLE, "ServiceUnavailable", message);
  }
}
