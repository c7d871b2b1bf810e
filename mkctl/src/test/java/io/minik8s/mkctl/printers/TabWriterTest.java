package io.minik8s.mkctl.printers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TabWriterTest {
  @Test
  void alignsValuesWithinARunOfLinesAndRestartsAfterALineWithoutTab() {
    String text = TabWriter.forDescribe()
        .line("Name:\tweb-0")
        .line("Service Account:\tdefault")
        .line("Containers:")
        .line("  nginx:")
        .line("    Image:\tnginx")
        .line("    Restart Count:\t0")
        .render();
    assertThat(text).isEqualTo("""
        Name:             web-0
        Service Account:  default
        Containers:
          nginx:
            Image:          nginx
            Restart Count:  0
        """);
  }

  @Test
  void alignsEveryColumnOfATableAndNeverPadsTheLastCell() {
    String text = new TabWriter(0, 2)
        .line("Type\tReason\tMessage")
        .line("Normal\tScheduled\tassigned")
        .render();
    assertThat(text).isEqualTo("""
        Type    Reason     Message
        Normal  Scheduled  assigned
        """);
    assertThat(text.lines()).noneMatch(l -> l.endsWith(" "));
  }
}
