package io.minik8s.apiserver.rest;

import io.grpc.Status;
import io.minik8s.apiserver.registry.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error as Kubernetes' REST API answers it: a {@code meta.k8s.io/v1} Status object with the
 * HTTP code, the reason kubectl prints in "Error from server (NotFound): ..." and, for an
 * Invalid, the field causes (k8s.io/apimachinery/pkg/api/errors/errors.go). The API's errors come
 * from the same code as gRPC's, as gRPC statuses; an {@link ApiException} travels in the status's
 * cause and gives the exact reason, else the gRPC code stands for one.
 *
 * @param details the name and kind the error is about; empty when unknown
 */
record KubeStatus(int code, String reason, String message, List<ApiException.Cause> causes,
                  Map<String, String> details) {

  static KubeStatus of(int code, String reason, String message) {
    return new KubeStatus(code, reason, message, List.of(), Map.of());
  }

  static KubeStatus badRequest(String message) {
    return of(400, "BadRequest", message);
  }

  static KubeStatus notFound(String message) {
    return of(404, "NotFound", message);
  }

  /** The Status for an error the gRPC API would have returned (a StatusRuntimeException, or an ApiException). */
  static KubeStatus of(Throwable error) {
    ApiException api = apiException(error);
    Status status = api != null ? api.toStatus().getStatus() : Status.fromThrowable(error);
    String message = status.getDescription() != null ? status.getDescription()
        : status.getCode() == Status.Code.UNKNOWN ? String.valueOf(error) : status.getCode().name();
    if (api != null) {
      return new KubeStatus(httpCode(api.reason(), status.getCode()), api.reason(), message, api.causes(), Map.of());
    }
    String reason = switch (status.getCode()) {
      case NOT_FOUND -> "NotFound";
      case ALREADY_EXISTS -> "AlreadyExists";
      case ABORTED -> "Conflict";
      case INVALID_ARGUMENT -> "BadRequest";
      case PERMISSION_DENIED -> "Forbidden";
      case UNAUTHENTICATED -> "Unauthorized";
      case OUT_OF_RANGE -> "Expired";
      case RESOURCE_EXHAUSTED -> "RequestEntityTooLarge";
      case UNAVAILABLE -> "ServiceUnavailable";
      case DEADLINE_EXCEEDED -> "Timeout";
      case FAILED_PRECONDITION -> "Conflict";
      default -> "InternalError";
    };
    return of(httpCode(reason, status.getCode()), reason, message);
  }

  private static ApiException apiException(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ApiException a) {
        return a;
      }
    }
    return null;
  }

  /** Kubernetes' code for each reason (errors.go's NewX functions). */
  static int httpCode(String reason, Status.Code code) {
    return switch (reason) {
      case "BadRequest" -> 400;
      case "Unauthorized" -> 401;
      case "Forbidden" -> 403;
      case "NotFound" -> 404;
      case "MethodNotAllowed" -> 405;
      case "NotAcceptable" -> 406;
      case "AlreadyExists", "Conflict" -> 409;
      case "Gone", "Expired" -> 410;
      case "RequestEntityTooLarge" -> 413;
      case "UnsupportedMediaType" -> 415;
      case "Invalid" -> 422;
      case "TooManyRequests" -> 429;
      case "ServiceUnavailable" -> 503;
      case "Timeout" -> 504;
      default -> code == Status.Code.INVALID_ARGUMENT ? 400 : 500;
    };
  }

  KubeStatus withDetails(String kind, String group, String name) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("name", name);
    d.put("group", group);
    d.put("kind", kind);
    return new KubeStatus(code, reason, message, causes, d);
  }

  /** The Status object, as Kubernetes prints it. */
  Map<String, Object> toTree() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("kind", "Status");
    tree.put("apiVersion", "v1");
    tree.put("metadata", Map.of());
    tree.put("status", code < 400 ? "Success" : "Failure");
    tree.put("message", message);
    tree.put("reason", reason);
    Map<String, Object> d = new LinkedHashMap<>();
    details.forEach((k, v) -> {
      if (!v.isEmpty()) {
        d.put(k, v);
      }
    });
    if (!causes.isEmpty()) {
      List<Map<String, Object>> list = new ArrayList<>();
      for (ApiException.Cause c : causes) {
        Map<String, Object> cause = new LinkedHashMap<>();
        cause.put("reason", c.reason());
        cause.put("message", c.message());
        cause.put("field", c.field());
        list.add(cause);
      }
      d.put("causes", list);
    }
    if (!d.isEmpty()) {
      tree.put("details", d);
    }
    tree.put("code", code);
    return tree;
  }
}
