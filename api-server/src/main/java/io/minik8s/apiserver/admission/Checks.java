package io.minik8s.apiserver.admission;

import io.minik8s.api.IntOrString;
import io.minik8s.client.api.Quantity;
import java.util.List;

/** Small checks that every kind's validation shares. */
final class Checks {
  static final String NON_NEGATIVE = "must be greater than or equal to 0";
  static final String IMMUTABLE = "field is immutable";

  private Checks() {}

  static void nonNegative(List<FieldError> errs, long value, FieldPath path) {
    if (value < 0) {
      errs.add(path.invalid(value, NON_NEGATIVE));
    }
  }

  /** One Invalid error per message of a format check (Kubernetes reports each broken rule). */
  static void format(List<FieldError> errs, List<String> messages, FieldPath path, String value) {
    for (String msg : messages) {
      errs.add(path.invalid(value, msg));
    }
  }

  /** Required when empty, Unsupported when not among {@code supported}. */
  static void requiredOneOf(List<FieldError> errs, String value, FieldPath path, List<String> supported) {
    if (value.isEmpty()) {
      errs.add(path.required(""));
    } else {
      oneOf(errs, value, path, supported);
    }
  }

  static void oneOf(List<FieldError> errs, String value, FieldPath path, List<String> supported) {
    if (!supported.contains(value)) {
      errs.add(path.notSupported(value, supported));
    }
  }

  /** A port given as a number (1..65535) or as the name of a container port. */
  static void portNumOrName(List<FieldError> errs, IntOrString port, FieldPath path) {
    if (port.getValueCase() == IntOrString.ValueCase.STR_VAL) {
      format(errs, NameValidation.portName(port.getStrVal()), path, port.getStrVal());
    } else {
      for (String msg : NameValidation.portNumber(port.getIntVal())) {
        errs.add(path.invalid(port.getIntVal(), msg));
      }
    }
  }

  static void quantity(List<FieldError> errs, String value, FieldPath path) {
    if (!Quantity.isValid(value)) {
      errs.add(path.invalid(value, Quantity.FORMAT_ERROR));
    } else if (Quantity.parse(value).signum() < 0) {
      errs.add(path.invalid(value, NON_NEGATIVE));
    }
  }
}
