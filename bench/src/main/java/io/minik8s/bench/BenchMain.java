package io.minik8s.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The bench jar's entry point: one subcommand per benchmark, each run by its bin/bench-* script. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    subcommands = {SchedulerBenchmark.class, ServiceBenchmark.class, ApiTlsBenchmark.class, io.minik8s.bench.soak.SoakCommand.class},
    description = "MiniK8s benchmarks: bin/bench-scheduler, bin/bench-service, bin/bench-api-tls, bin/bench-soak (bin/minik8s soak).")
public final class BenchMain implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }
}
