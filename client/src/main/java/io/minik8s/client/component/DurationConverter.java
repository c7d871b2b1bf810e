package io.minik8s.client.component;

import java.time.Duration;
import picocli.CommandLine;

/** Picocli's converter for duration flags, in the {@link Durations} form ({@code 15s}, {@code 5m0s}). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
