package io.minik8s.kubeproxy;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Placeholder until issue #6 builds the kube-proxy: it says so and exits non-zero. */
@Command(
    name = "kube-proxy",
    mixinStandardHelpOptions = true,
    version = "minik8s kube-proxy 0.1.0",
    description = {
        "Gives every Service a stable address on its node: ClusterIP and NodePort proxying with",
        "Netty to ready endpoints, and cluster DNS.",
        "",
        "Not implemented yet (issue #6)."})
public final class KubeProxyMain implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("kube-proxy: not implemented yet (issue #6)");
    return 1;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new KubeProxyMain()).execute(args));
  }
}
