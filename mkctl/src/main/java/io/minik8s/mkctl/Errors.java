package io.minik8s.mkctl;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import java.net.UnknownHostException;

/**
 * Turns failures into the lines kubectl prints: {@code Error from server (NotFound): pods "x"
 * not found}, or, when no api-server answered, {@code The connection to the server HOST:PORT
 * was refused - did you specify the right host or port?}.
 */
public final class Errors {
  private Errors() {}

  /** The line for a failed call to the api-server at {@code servers}. */
  public static String describe(StatusRuntimeException e, String servers) {
    return describe(e, servers, "");
  }

  /**
   * The line for a failed call; {@code context} (such as {@code error when creating "x.yaml": })
   * goes between the reason and the server's message.
   */
  public static String describe(StatusRuntimeException e, String servers, String context) {
    Status status = e.getStatus();
    if (isConnectionFailure(status)) {
      return "The connection to the server " + servers + " was refused - did you specify the right host or port?";
    }
    if (status.getCode() == Status.Code.UNAUTHENTICATED) {
      return "error: You must be logged in to the server (Unauthorized)";
    }
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return "Unable to connect to the server " + servers + ": the request timed out";
    }
    String description = status.getDescription() == null ? status.getCode().name() : status.getDescription();
    return "Error from server (" + reason(status.getCode(), description) + "): " + context + description;
  }

  /** Kubernetes' reason for a gRPC code, as kubectl shows it in parentheses. */
  public static String reason(Status.Code code, String description) {
    return switch (code) {
      case NOT_FOUND -> "NotFound";
      case ALREADY_EXISTS -> "AlreadyExists";
      case ABORTED -> "Conflict";
      case INVALID_ARGUMENT -> description != null && description.contains(" is invalid") ? "Invalid" : "BadRequest";
      case FAILED_PRECONDITION -> "BadRequest";
      case OUT_OF_RANGE -> "Expired";
      case PERMISSION_DENIED -> "Forbidden";
      case UNAUTHENTICATED -> "Unauthorized";
      case UNAVAILABLE -> "ServiceUnavailable";
      case RESOURCE_EXHAUSTED -> "TooManyRequests";
      case UNIMPLEMENTED -> "MethodNotAllowed";
      default -> "InternalError";
    };
  }

  /**
   * Whether the call never reached an api-server. The client library reports that as
   * UNAVAILABLE with the I/O exception as cause; an api-server that answers UNAVAILABLE itself
   * (its store is down) sends no cause.
   */
  static boolean isConnectionFailure(Status status) {
    if (status.getCode() != Status.Code.UNAVAILABLE) {
      return false;
    }
    for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException
          || t instanceof UnresolvedAddressException || t instanceof java.io.IOException) {
        return true;
      }
    }
    String d = status.getDescription();
    return status.getCause() != null
        || d != null && (d.startsWith("io exception") || d.contains("Connection refused")
            || d.startsWith("Unable to resolve host") || d.contains("Network closed"));
  }
}
