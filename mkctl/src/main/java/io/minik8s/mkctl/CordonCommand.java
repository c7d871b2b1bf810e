package io.minik8s.mkctl;

import io.minik8s.api.Node;
import io.minik8s.client.api.Resources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mkctl cordon NODE}: mark a node unschedulable, so no new pod is placed there. */
@Command(
    name = "cordon",
    description = {"Mark node as unschedulable.", "", "New pods are no longer placed on the node; pods already there keep running."},
    footerHeading = "%nExamples:%n",
    footer = {"  # Mark node \"node-1\" as unschedulable", "  mkctl cordon node-1"})
public final class CordonCommand extends MkctlCommand {
  @Parameters(paramLabel = "NODE", description = "The node to cordon.")
  String node;

  @Override
  protected int execute(MkctlContext ctx) {
    ctx.out().println(setUnschedulable(ctx, node, true));
    return 0;
  }

  /**
   * Sets spec.unschedulable and returns kubectl's line ({@code node/NAME cordoned}, or
   * {@code already cordoned}). Retries a conflicting write, as kubectl's patch never conflicts.
   */
  static String setUnschedulable(MkctlContext ctx, String name, boolean unschedulable) {
    String verb = unschedulable ? "cordoned" : "uncordoned";
    for (int attempt = 0; ; attempt++) {
      Node current = (Node) ctx.cluster().get(Resources.NODES, "", name);
      if (current.getSpec().getUnschedulable() == unschedulable) {
        return "node/" + name + " already " + verb;
      }
      Node.Builder b = current.toBuilder();
      b.getSpecBuilder().setUnschedulable(unschedulable);
      try {
        ctx.cluster().update(b.build());
        return "node/" + name + " " + verb;
      } catch (io.grpc.StatusRuntimeException e) {
        if (e.getStatus().getCode() != io.grpc.Status.Code.ABORTED || attempt >= 5) {
          throw e;
        }
      }
    }
  }
}
