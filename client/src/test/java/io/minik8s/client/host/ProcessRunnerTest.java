package io.minik8s.client.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ProcessRunnerTest {
  @Test
  void aCommandThatHangsIsKilledAtItsTimeout() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> ProcessRunner.run(List.of("sleep", "20"), Duration.ofSeconds(1)))
        .hasMessageContaining("sleep 20 timed out after 1s");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void theOutputAndExitCodeOfACommandAreReturned() {
    ProcessRunner.Result r = ProcessRunner.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.output()).contains("out").contains("err");
  }
}
