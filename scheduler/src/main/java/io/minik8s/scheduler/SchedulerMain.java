package io.minik8s.scheduler;

import io.minik8s.client.leaderelection.LeaderElector;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/scheduler}: kube-scheduler's flags, then {@link SchedulerServer} until killed. */
@Command(
    name = "scheduler",
    mixinStandardHelpOptions = true,
    version = "minik8s scheduler 0.1.0",
    description = {
        "Places every pending pod on a node that fits (filters, scores) and binds it through the",
        "api-server's binding subresource. With --leader-elect only one replica schedules at a time."})
public final class SchedulerMain implements Callable<Integer> {
  @Option(names = "--api-servers", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "The api-server address(es).")
  String apiServers;

  @Option(names = "--scheduler-name", defaultValue = "default-scheduler",
      description = "Schedule the pods whose spec.schedulerName is this (default ${DEFAULT-VALUE}).")
  String schedulerName;

  @Option(names = "--leader-elect", arity = "0..1", defaultValue = "true", fallbackValue = "true",
      description = "Take part in leader election; only the leader schedules (default ${DEFAULT-VALUE}).")
  boolean leaderElect;

  @Option(names = "--leader-elect-lease-duration", defaultValue = "15s", converter = DurationConverter.class,
      description = "How long a standby waits after the last renewal before it takes over (default ${DEFAULT-VALUE}).")
  Duration leaseDuration;

  @Option(names = "--leader-elect-renew-deadline", defaultValue = "10s", converter = DurationConverter.class,
      description = "How long the leader keeps trying to renew before it gives up (default ${DEFAULT-VALUE}).")
  Duration renewDeadline;

  @Option(names = "--leader-elect-retry-period", defaultValue = "2s", converter = DurationConverter.class,
      description = "Time between attempts to take or renew the lease (default ${DEFAULT-VALUE}).")
  Duration retryPeriod;

  @Option(names = "--leader-elect-resource-name", defaultValue = "kube-scheduler",
      description = "The Lease's name (default ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(names = "--leader-elect-resource-namespace", defaultValue = "kube-system",
      description = "The Lease's namespace (default ${DEFAULT-VALUE}).")
  String leaseNamespace;

  @Option(names = "--bind-address", defaultValue = "0.0.0.0",
      description = "Address of /healthz, /readyz and /metrics (default ${DEFAULT-VALUE}).")
  String bindAddress;

  @Option(names = "--health-port", defaultValue = "10259",
      description = "Port of /healthz, /readyz and /metrics (default ${DEFAULT-VALUE}).")
  int healthPort;

  @Override
  public Integer call() throws Exception {
    LeaderElector.Config le = new LeaderElector.Config(leaseDuration, renewDeadline, retryPeriod);
    SchedulerServer.Config config = new SchedulerServer.Config(apiServers, schedulerName, leaderElect, le,
        leaseNamespace, leaseName, bindAddress, healthPort, Clock.systemUTC());
    SchedulerServer server = SchedulerServer.start(config);
    // kube-scheduler exits when it loses the lease: a fresh process campaigns from a clean state.
    server.onLeadershipLost(() -> Runtime.getRuntime().halt(1));
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      done.countDown();
    }));
    done.await();
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SchedulerMain()).execute(args));
  }

  /** Kubernetes-style durations: {@code 15s}, {@code 500ms}, {@code 1m}, {@code 1h30m}. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)").matcher(value);
      long millis = 0;
      int end = 0;
      while (m.find() && m.start() == end) {
        double n = Double.parseDouble(m.group(1));
        millis += (long) (n * switch (m.group(2)) {
          case "ms" -> 1;
          case "s" -> 1000;
          case "m" -> 60_000;
          default -> 3_600_000;
        });
        end = m.end();
      }
      if (end == 0 || end != value.length()) {
        throw new CommandLine.TypeConversionException("invalid duration \"" + value + "\" (e.g. 15s, 500ms, 1m)");
      }
      return Duration.ofMillis(millis);
    }
  }
}
