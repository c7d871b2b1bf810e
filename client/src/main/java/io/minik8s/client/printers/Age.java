package io.minik8s.client.printers;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Ages as kubectl prints them in its AGE and LAST SEEN columns: precise while short
 * ({@code 45s}, {@code 3m2s}), coarser as they grow ({@code 4h}, {@code 2d}, {@code 3y}).
 */
public final class Age {
  private static final long MINUTE = 60;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;
  private static final long YEAR = 365 * DAY;

  private Age() {}

  /** The age of an RFC 3339 timestamp at {@code now}; {@code <unknown>} when absent or unreadable. */
  public static String since(String timestamp, Instant now) {
    return parse(timestamp).map(t -> format(Duration.between(t, now))).orElse("<unknown>");
  }

  /** Parses an RFC 3339 timestamp ({@code 2024-05-01T10:00:00Z}, with or without fraction or offset). */
  public static Optional<Instant> parse(String timestamp) {
    if (timestamp == null || timestamp.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(timestamp.trim()).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * Formats a duration. Up to two seconds in the future counts as now (clocks differ a little
   * between machines); further in the future is {@code <invalid>}.
   */
  public static String format(Duration d) {
    long s = d.toMillis() / 1000; // whole seconds, truncated toward zero
    if (s < -1) {
      return "<invalid>";
    }
    if (s < 0) {
      return "0s";
    }
    if (s < 2 * MINUTE) {
      return s + "s";
    }
    long minutes = s / MINUTE;
    if (minutes < 10) {
      return withRemainder(minutes, "m", s % MINUTE, "s");
    }
    if (minutes < 3 * 60) {
      return minutes + "m";
    }
    long hours = s / HOUR;
    if (hours < 8) {
      return withRemainder(hours, "h", minutes % 60, "m");
    }
    if (hours < 48) {
      return hours + "h";
    }
    long days = s / DAY;
    if (hours < 8 * 24) {
      return withRemainder(days, "d", hours % 24, "h");
    }
    if (s < 2 * YEAR) {
      return days + "d";
    }
    long years = s / YEAR;
    if (s < 8 * YEAR) {
      return withRemainder(years, "y", days % 365, "d");
    }
    return years + "y";
  }

  private static String withRemainder(long major, String majorUnit, long minor, String minorUnit) {
    return minor == 0 ? major + majorUnit : major + majorUnit + minor + minorUnit;
  }
}
