package io.minik8s.mkctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mkctl uncordon NODE}: let the scheduler place pods on the node again. */
@Command(
    name = "uncordon",
    description = {"Mark node as schedulable."},
    footerHeading = "%nExamples:%n",
    footer = {"  # Mark node \"node-1\" as schedulable", "  mkctl uncordon node-1"})
public final class UncordonCommand extends MkctlCommand {
  @Parameters(paramLabel = "NODE", description = "The node to uncordon.")
  String node;

  @Override
  protected int execute(MkctlContext ctx) {
    ctx.out().println(CordonCommand.setUnschedulable(ctx, node, false));
    return 0;
  }
}
