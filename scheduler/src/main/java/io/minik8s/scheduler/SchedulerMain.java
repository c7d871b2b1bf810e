package io.minik8s.scheduler;

import io.minik8s.client.component.LeaderElectionFlags;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import io.minik8s.client.component.ClientTlsFlags;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
  @Mixin
  ClientTlsFlags tls;

  @Option(names = "--api-servers", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "The api-server address(es).")
  String apiServers;

  @Option(names = "--scheduler-name", defaultValue = "default-scheduler",
      description = "Schedule the pods whose spec.schedulerName is this (default ${DEFAULT-VALUE}).")
  String schedulerName;

  @Mixin
  LeaderElectionFlags leaderElection;

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
    SchedulerServer.Config config = new SchedulerServer.Config(apiServers, schedulerName, leaderElection.enabled(),
        leaderElection.config(),
        leaseNamespace, leaseName, bindAddress, healthPort, Clock.systemUTC());
    SchedulerServer server = SchedulerServer.start(config, tls.tls());
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
}
