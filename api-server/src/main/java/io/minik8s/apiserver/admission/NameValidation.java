package io.minik8s.apiserver.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The string formats of apimachinery's {@code util/validation}: DNS names, qualified names, label
 * values, port names, percentages. Each check returns Kubernetes' messages (empty when valid), so
 * callers attach them to whichever field they concern. Lengths are checked first and a value over
 * its limit never reaches the regex: Java's engine recurses once per repeated group, so a long
 * enough "a.a.a..." overflows the stack (Kubernetes' RE2 does not, but reports the length too).
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go.
 */
final class NameValidation {
  private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1123_SUBDOMAIN_FMT =
      DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
  private static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
  private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
  private static final String PERCENT_FMT = "[0-9]+%";

  private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);
  private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FMT);
  private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
  private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
  private static final Pattern PERCENT = Pattern.compile(PERCENT_FMT);
  private static final Pattern PORT_NAME_CHARSET = Pattern.compile("[-a-z0-9]+");
  private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");

  static final String QUALIFIED_NAME_MSG =
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

  private NameValidation() {}

  static List<String> dns1123Subdomain(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 253) {
      errs.add(maxLen(253));
      return errs;
    }
    if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
      errs.add(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
          + "'-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN_FMT, "example.com"));
    }
    return errs;
  }

  /**
   * A name that is one segment of a URL path (Kubernetes' IsValidPathSegmentName): RBAC names such
   * as {@code system:kube-scheduler} are not DNS names, only free of '/' and '%'.
   */
  static List<String> pathSegment(String value) {
    if (value.equals(".") || value.equals("..")) {
      return List.of("may not be '" + value + "'");
    }
    List<String> errs = new ArrayList<>();
    for (String illegal : List.of("/", "%")) {
      if (value.contains(illegal)) {
        errs.add("may not contain '" + illegal + "'");
      }
    }
    return errs;
  }

  static List<String> dns1123Label(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 63) {
      errs.add(maxLen(63));
      return errs;
    }
    if (!DNS1123_LABEL.matcher(value).matches()) {
      errs.add(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
          + "and must start and end with an alphanumeric character", DNS1123_LABEL_FMT, "my-name", "123-abc"));
    }
    return errs;
  }

  static List<String> dns1035Label(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 63) {
      errs.add(maxLen(63));
      return errs;
    }
    if (!DNS1035_LABEL.matcher(value).matches()) {
      errs.add(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
          + "start with an alphabetic character, and end with an alphanumeric character",
          DNS1035_LABEL_FMT, "my-name", "abc-123"));
    }
    return errs;
  }

  /** A label key, annotation key or finalizer: an optional DNS subdomain prefix and '/', then a name. */
  static List<String> qualifiedName(String value) {
    List<String> errs = new ArrayList<>();
    String[] parts = value.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      name = parts[1];
      if (parts[0].isEmpty()) {
        errs.add("prefix part must be non-empty");
      } else {
        dns1123Subdomain(parts[0]).forEach(m -> errs.add("prefix part " + m));
      }
    } else {
      errs.add("a qualified name " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
          + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errs;
    }
    if (name.isEmpty()) {
      errs.add("name part must be non-empty");
    } else if (name.length() > 63) {
      errs.add("name part " + maxLen(63));
      return errs;
    }
    if (!QUALIFIED_NAME.matcher(name).matches()) {
      errs.add("name part " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
    }
    return errs;
  }

  static List<String> labelValue(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 63) {
      errs.add(maxLen(63));
      return errs;
    }
    if (!LABEL_VALUE.matcher(value).matches()) {
      errs.add(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
          + "or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FMT,
          "MyValue", "my_value", "12345"));
    }
    return errs;
  }

  /** An IANA_SVC_NAME, as container and probe port names must be. */
  static List<String> portName(String port) {
    List<String> errs = new ArrayList<>();
    if (port.length() > 15) {
      errs.add(maxLen(15));
      return errs;
    }
    if (!PORT_NAME_CHARSET.matcher(port).matches()) {
      errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    } else if (!HAS_LETTER.matcher(port).matches()) {
      errs.add("must contain at least one letter (a-z)");
    }
    if (port.contains("--")) {
      errs.add("must not contain consecutive hyphens");
    }
    if (!port.isEmpty() && (port.startsWith("-") || port.endsWith("-"))) {
      errs.add("must not begin or end with a hyphen");
    }
    return errs;
  }

  static List<String> portNumber(long port) {
    return port >= 1 && port <= 65535 ? List.of() : List.of("must be between 1 and 65535, inclusive");
  }

  static List<String> percent(String value) {
    return value.length() <= 20 && PERCENT.matcher(value).matches()
        ? List.of()
        : List.of(regexError("a valid percent string must be a numeric string followed by an ending '%'",
            PERCENT_FMT, "1%", "93%"));
  }

  static String maxLen(int n) {
    return "must be no more than " + n + " characters";
  }

  /** apimachinery's RegexError, including its double space before " or ". */
  static String regexError(String msg, String fmt, String... examples) {
    StringBuilder sb = new StringBuilder(msg);
    if (examples.length == 0) {
      return sb.append(" (regex used for validation is '").append(fmt).append("')").toString();
    }
    sb.append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      if (i > 0) {
        sb.append(" or ");
      }
      sb.append('\'').append(examples[i]).append("', ");
    }
    return sb.append("regex used for validation is '").append(fmt).append("')").toString();
  }
}
