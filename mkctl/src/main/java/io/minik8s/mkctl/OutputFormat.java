package io.minik8s.mkctl;

import java.util.Locale;

/** The {@code -o} formats of get. */
public enum OutputFormat {
  TABLE, WIDE, YAML, JSON, NAME;

  /** Parses {@code -o}; null or empty is the table. */
  public static OutputFormat parse(String text) {
    if (text == null || text.isEmpty()) {
      return TABLE;
    }
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "wide" -> WIDE;
      case "yaml" -> YAML;
      case "json" -> JSON;
      case "name" -> NAME;
      default -> throw new MkctlException("unable to match a printer suitable for the output format \"" + text
          + "\", allowed formats are: json,name,wide,yaml");
    };
  }

  public boolean isTable() {
    return this == TABLE || this == WIDE;
  }
}
