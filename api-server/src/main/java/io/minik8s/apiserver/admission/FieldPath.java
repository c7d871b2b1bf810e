package io.minik8s.apiserver.admission;

import java.util.List;

/**
 * A field path such as {@code spec.containers[0].resources.limits[cpu]}, with shorthands that
 * build the errors reported on it, so a check reads {@code path.invalid(value, detail)}.
 */
record FieldPath(String text) {

  static FieldPath root(String name) {
    return new FieldPath(name);
  }

  FieldPath child(String name) {
    return new FieldPath(text + "." + name);
  }

  FieldPath index(int i) {
    return new FieldPath(text + "[" + i + "]");
  }

  FieldPath key(String key) {
    return new FieldPath(text + "[" + key + "]");
  }

  FieldError invalid(String value, String detail) {
    return FieldError.invalid(text, value, detail);
  }

  FieldError invalid(long value, String detail) {
    return FieldError.invalid(text, value, detail);
  }

  /** An invalid value already rendered in Go syntax (a map, a struct). */
  FieldError invalidRendered(String rendered, String detail) {
    return new FieldError(text, FieldError.Type.INVALID, rendered, detail);
  }

  FieldError required(String detail) {
    return FieldError.required(text, detail);
  }

  FieldError forbidden(String detail) {
    return FieldError.forbidden(text, detail);
  }

  FieldError notFound(String value) {
    return FieldError.notFound(text, value);
  }

  FieldError duplicate(String value) {
    return FieldError.duplicate(text, value);
  }

  FieldError duplicate(long value) {
    return new FieldError(text, FieldError.Type.DUPLICATE, Long.toString(value), "");
  }

  FieldError duplicateRendered(String rendered, String detail) {
    return new FieldError(text, FieldError.Type.DUPLICATE, rendered, detail);
  }

  FieldError notSupported(String value, List<String> supported) {
    return FieldError.notSupported(text, value, supported);
  }

  FieldError notSupportedRendered(String rendered, List<String> supported) {
    FieldError plain = FieldError.notSupported(text, "", supported);
    return new FieldError(text, FieldError.Type.UNSUPPORTED, rendered, plain.detail());
  }

  @Override
  public String toString() {
    return text;
  }
}
