package io.minik8s.mkctl;

import io.minik8s.api.Deployment;
import io.minik8s.client.api.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mkctl rollout pause}: changes to a paused deployment's template roll out only after resume. */
@Command(name = "pause", description = {"Mark the provided resource as paused.", "",
    "Paused deployments are not reconciled: template changes wait for 'mkctl rollout resume'."})
public final class RolloutPauseCommand extends NestedCommand {
  @Parameters(paramLabel = "TYPE/NAME", arity = "1..2")
  List<String> args = new ArrayList<>();

  @Override
  protected int execute(MkctlContext ctx) {
    return setPaused(ctx, args, true);
  }

  static int setPaused(MkctlContext ctx, List<String> args, boolean paused) {
    Workloads.Ref ref = Workloads.one(args, Set.of(Resources.DEPLOYMENTS), paused ? "pause" : "resume");
    Deployment d = (Deployment) ctx.cluster().get(ref.type(), ctx.namespace(), ref.name());
    if (d.getSpec().getPaused() == paused) {
      throw new MkctlException(ref.type().qualifiedResource() + " \"" + ref.name() + "\" is "
          + (paused ? "already paused" : "not paused"));
    }
    Workloads.update(ctx, ref, m -> {
      Deployment cur = (Deployment) m;
      return cur.toBuilder().setSpec(cur.getSpec().toBuilder().setPaused(paused)).build();
    });
    ctx.out().println(ref.display() + (paused ? " paused" : " resumed"));
    return 0;
  }
}
