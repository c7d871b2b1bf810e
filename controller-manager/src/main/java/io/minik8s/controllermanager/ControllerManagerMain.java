package io.minik8s.controllermanager;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Placeholder until issue #5 builds the controller-manager: it says so and exits non-zero. */
@Command(
    name = "controller-manager",
    mixinStandardHelpOptions = true,
    version = "minik8s controller-manager 0.1.0",
    description = {
        "Runs the MiniK8s controllers in one leader-elected process: ReplicaSet, Deployment,",
        "StatefulSet, Endpoints, garbage collection, node lifecycle and node IPAM.",
        "",
        "Not implemented yet (issue #5)."})
public final class ControllerManagerMain implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("controller-manager: not implemented yet (issue #5)");
    return 1;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ControllerManagerMain()).execute(args));
  }
}
