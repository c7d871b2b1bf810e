package io.minik8s.client.printers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgeTest {
  private static String age(long seconds) {
    return Age.format(Duration.ofSeconds(seconds));
  }

  @Test
  void secondsAreExactUpToTwoMinutes() {
    assertThat(age(0)).isEqualTo("0s");
    assertThat(age(5)).isEqualTo("5s");
    assertThat(age(119)).isEqualTo("119s");
  }

  @Test
  void minutesCarryTheirSecondsUnderTenMinutes() {
    assertThat(age(120)).isEqualTo("2m");
    assertThat(age(182)).isEqualTo("3m2s");
    assertThat(age(599)).isEqualTo("9m59s");
    assertThat(age(600)).isEqualTo("10m");
    assertThat(age(3 * 3600 - 1)).isEqualTo("179m");
  }

  @Test
  void hoursCarryTheirMinutesUnderEightHours() {
    assertThat(age(3 * 3600)).isEqualTo("3h");
    assertThat(age(4 * 3600)).isEqualTo("4h");
    assertThat(age(4 * 3600 + 5 * 60 + 7)).isEqualTo("4h5m");
    assertThat(age(8 * 3600 + 59 * 60)).isEqualTo("8h");
    assertThat(age(47 * 3600)).isEqualTo("47h");
  }

  @Test
  void daysCarryTheirHoursUnderEightDaysThenYearsTakeOver() {
    assertThat(age(2 * 86400)).isEqualTo("2d");
    assertThat(age(2 * 86400 + 3 * 3600)).isEqualTo("2d3h");
    assertThat(age(8 * 86400)).isEqualTo("8d");
    assertThat(age(729L * 86400)).isEqualTo("729d");
    assertThat(age(730L * 86400)).isEqualTo("2y");
    assertThat(age(735L * 86400)).isEqualTo("2y5d");
    assertThat(age(9L * 365 * 86400)).isEqualTo("9y");
  }

  @Test
  void aLittleInTheFutureIsNowButFurtherIsInvalid() {
    assertThat(Age.format(Duration.ofMillis(-1500))).isEqualTo("0s");
    assertThat(age(-2)).isEqualTo("<invalid>");
  }

  @Test
  void sinceReadsRfc3339TimestampsWithOffsetsAndFractions() {
    Instant now = Instant.parse("2024-05-01T11:00:00Z");
    assertThat(Age.since("2024-05-01T10:59:55Z", now)).isEqualTo("5s");
    assertThat(Age.since("2024-05-01T12:57:58+02:00", now)).isEqualTo("2m2s");
    assertThat(Age.since("2024-05-01T10:59:54.750Z", now)).isEqualTo("5s");
    assertThat(Age.since("", now)).isEqualTo("<unknown>");
    assertThat(Age.since("yesterday", now)).isEqualTo("<unknown>");
  }
}
