package io.minik8s.scheduler;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Placeholder until issue #4 builds the scheduler: it says so and exits non-zero. */
@Command(
    name = "scheduler",
    mixinStandardHelpOptions = true,
    version = "minik8s scheduler 0.1.0",
    description = {
        "Places every pending pod on a node that fits (filters, scores) and binds it through the",
        "api-server's binding subresource; leader-elected.",
        "",
        "Not implemented yet (issue #4)."})
public final class SchedulerMain implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("scheduler: not implemented yet (issue #4)");
    return 1;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SchedulerMain()).execute(args));
  }
}
