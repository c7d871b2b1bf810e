package io.minik8s.client.component;

import io.minik8s.client.leaderelection.LeaderElector;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The leader-election flags that kube-controller-manager and kube-scheduler share, as a Picocli
 * mixin: {@code @Mixin LeaderElectionFlags leaderElection;}.
 */
public final class LeaderElectionFlags {
  @Option(names = "--leader-elect", arity = "0..1", defaultValue = "true", fallbackValue = "true", paramLabel = "BOOL",
      description = "Take part in leader election: only the holder of the Lease acts (default ${DEFAULT-VALUE}).")
  boolean enabled;

  @Option(names = "--leader-elect-lease-duration", defaultValue = "15s", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long a standby waits after the last renewal before it takes over (default ${DEFAULT-VALUE}).")
  Duration leaseDuration;

  @Option(names = "--leader-elect-renew-deadline", defaultValue = "10s", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "A leader that cannot renew within this stops acting and exits (default ${DEFAULT-VALUE}).")
  Duration renewDeadline;

  @Option(names = "--leader-elect-retry-period", defaultValue = "2s", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Time between attempts to take or renew the Lease (default ${DEFAULT-VALUE}).")
  Duration retryPeriod;

  public boolean enabled() {
    return enabled;
  }

  public LeaderElector.Config config() {
    return new LeaderElector.Config(leaseDuration, renewDeadline, retryPeriod);
  }
}
