package io.minik8s.apiserver.admission;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One validation problem, printed exactly as Kubernetes' {@code field.Error} prints it, e.g.
 * {@code spec.replicas: Invalid value: -1: must be greater than or equal to 0}.
 *
 * @param field the path from the object root, e.g. {@code spec.template.spec.containers[0].name}
 * @param type what kind of problem
 * @param value the bad value as Kubernetes renders it (Go syntax: strings quoted, numbers bare,
 *     maps as {@code map[string]string{"app":"web"}}); null when Kubernetes leaves it out
 * @param detail the explanation, possibly empty
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go.
 */
public record FieldError(String field, Type type, String value, String detail) {

  public enum Type {
    NOT_FOUND("Not found", "FieldValueNotFound"),
    REQUIRED("Required value", "FieldValueRequired"),
    DUPLICATE("Duplicate value", "FieldValueDuplicate"),
    INVALID("Invalid value", "FieldValueInvalid"),
    UNSUPPORTED("Unsupported value", "FieldValueNotSupported"),
    FORBIDDEN("Forbidden", "FieldValueForbidden"),
    TOO_LONG("Too long", "FieldValueTooLong"),
    TOO_MANY("Too many", "FieldValueTooMany");

    private final String label;
    private final String causeReason;

    Type(String label, String causeReason) {
      this.label = label;
      this.causeReason = causeReason;
    }

    public String label() {
      return label;
    }

    /** Kubernetes never echoes the value of these: it is absent, or too big to print. */
    boolean omitsValue() {
      return this == REQUIRED || this == FORBIDDEN || this == TOO_LONG;
    }
  }

  public FieldError {
    detail = detail == null ? "" : detail;
  }

  public static FieldError invalid(String field, String value, String detail) {
    return new FieldError(field, Type.INVALID, GoValues.quoteBounded(value), detail);
  }

  public static FieldError invalid(String field, long value, String detail) {
    return new FieldError(field, Type.INVALID, Long.toString(value), detail);
  }

  public static FieldError required(String field, String detail) {
    return new FieldError(field, Type.REQUIRED, null, detail);
  }

  public static FieldError forbidden(String field, String detail) {
    return new FieldError(field, Type.FORBIDDEN, null, detail);
  }

  public static FieldError notFound(String field, String value) {
    return new FieldError(field, Type.NOT_FOUND, GoValues.quoteBounded(value), "");
  }

  public static FieldError duplicate(String field, String value) {
    return new FieldError(field, Type.DUPLICATE, GoValues.quoteBounded(value), "");
  }

  public static FieldError notSupported(String field, String value, List<String> supported) {
    String detail = supported.isEmpty()
        ? ""
        : "supported values: " + supported.stream().map(GoValues::quote).collect(Collectors.joining(", "));
    return new FieldError(field, Type.UNSUPPORTED, GoValues.quoteBounded(value), detail);
  }

  public static FieldError tooLong(String field, int maxBytes) {
    return new FieldError(field, Type.TOO_LONG, null, "must have at most " + maxBytes + " bytes");
  }

  /** Kubernetes' CauseType of this error in a Status's details.causes ({@code FieldValueInvalid}). */
  public String causeReason() {
    return type.causeReason;
  }

  /** The error without its field, as a Status cause's message carries it. */
  public String causeMessage() {
    return toString().substring(field.length() + 2);
  }

  /** {@code field: Type: value: detail}, leaving out what Kubernetes leaves out. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(field).append(": ").append(type.label());
    if (value != null && !type.omitsValue()) {
      sb.append(": ").append(value);
    }
    if (!detail.isEmpty()) {
      sb.append(": ").append(detail);
    }
    return sb.toString();
  }
}
