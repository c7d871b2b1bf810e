package io.minik8s.client.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class HostnameTest {
  @Test
  void readsTheKernelsNameWithoutItsNewline(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("hostname"), "vm-3\n");
    assertThat(Hostname.read(file, "other")).isEqualTo("vm-3");
  }

  @Test
  void fallsBackToTheEnvironmentThenLocalhost(@TempDir Path dir) {
    Path missing = dir.resolve("missing");
    assertThat(Hostname.read(missing, "from-env")).isEqualTo("from-env");
    assertThat(Hostname.read(missing, null)).isEqualTo("localhost");
  }
}
