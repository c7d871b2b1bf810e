package io.minik8s.kubelet;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Placeholder until issue #3 builds the kubelet: it says so and exits non-zero. */
@Command(
    name = "kubelet",
    mixinStandardHelpOptions = true,
    version = "minik8s kubelet 0.1.0",
    description = {
        "The node agent: registers its Node, renews its Lease, and runs the pods bound to it on the",
        "Docker engine (pause container plus app containers sharing one IP).",
        "",
        "Not implemented yet (issue #3)."})
public final class KubeletMain implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("kubelet: not implemented yet (issue #3)");
    return 1;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new KubeletMain()).execute(args));
  }
}
