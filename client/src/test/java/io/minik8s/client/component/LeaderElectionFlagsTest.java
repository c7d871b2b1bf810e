package io.minik8s.client.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class LeaderElectionFlagsTest {
  @Command(name = "component")
  static final class Component {
    @Mixin
    LeaderElectionFlags leaderElection;
  }

  private static LeaderElectionFlags parse(String... args) {
    Component c = new Component();
    new CommandLine(c).parseArgs(args);
    return c.leaderElection;
  }

  @Test
  void defaultsAreKubernetesOwn() {
    LeaderElectionFlags f = parse();
    assertThat(f.enabled()).isTrue();
    assertThat(f.config().leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(f.config().renewDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(f.config().retryPeriod()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void flagsSetEachValue() {
    LeaderElectionFlags f = parse("--leader-elect=false", "--leader-elect-lease-duration=1m30s",
        "--leader-elect-renew-deadline", "20s", "--leader-elect-retry-period=500ms");
    assertThat(f.enabled()).isFalse();
    assertThat(f.config().leaseDuration()).isEqualTo(Duration.ofSeconds(90));
    assertThat(f.config().renewDeadline()).isEqualTo(Duration.ofSeconds(20));
    assertThat(f.config().retryPeriod()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aBadDurationNamesTheFlag() {
    assertThatThrownBy(() -> parse("--leader-elect-lease-duration=soon"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--leader-elect-lease-duration").hasMessageContaining("soon");
  }
}
