package io.minik8s.mkctl;

import io.minik8s.api.Deployment;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.ReplicaSet;
import io.minik8s.client.api.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mkctl rollout undo}: copies an older ReplicaSet's pod template back into the
 * deployment (as kubectl does); the controller then rolls it out as the newest revision.
 */
@Command(name = "undo", description = {"Roll back to a previous rollout.", "",
    "Without --to-revision: the revision before the current one."})
public final class RolloutUndoCommand extends NestedCommand {
  @Parameters(paramLabel = "TYPE/NAME", arity = "1..2")
  List<String> args = new ArrayList<>();

  @Option(names = "--to-revision", defaultValue = "0", paramLabel = "N", description = "The revision to roll back to. Default: 0 (the previous one).")
  long toRevision;

  @Override
  protected int execute(MkctlContext ctx) {
    Workloads.Ref ref = Workloads.one(args, Set.of(Resources.DEPLOYMENTS), "rollback");
    Deployment d = (Deployment) ctx.cluster().get(ref.type(), ctx.namespace(), ref.name());
    if (d.getSpec().getPaused()) {
      throw new MkctlException("you cannot rollback a paused deployment; resume it first with "
          + "'mkctl rollout resume " + ref.display() + "' and try again");
    }
    List<ReplicaSet> sets = Workloads.replicaSetsOf(ctx, d);
    long current = Workloads.revision(d);
    Optional<ReplicaSet> target;
    if (toRevision == 0) {
      target = sets.stream().filter(rs -> Workloads.revision(rs) != current)
          .reduce((a, b) -> Workloads.revision(b) > Workloads.revision(a) ? b : a);
      if (target.isEmpty()) {
        throw new MkctlException("no rollout history found for " + ref.display());
      }
    } else {
      target = sets.stream().filter(rs -> Workloads.revision(rs) == toRevision).findFirst();
      if (target.isEmpty()) {
        throw new MkctlException("unable to find specified revision " + toRevision + " in history");
      }
    }
    PodTemplateSpec.Builder t = target.get().getSpec().getTemplate().toBuilder();
    t.getMetadataBuilder().removeLabels(Workloads.POD_TEMPLATE_HASH);
    PodTemplateSpec template = t.build();
    long revision = Workloads.revision(target.get());
    if (template.equals(d.getSpec().getTemplate())) {
      ctx.out().println(ref.display() + " skipped rollback (current template already equals revision " + revision + ")");
      return 0;
    }
    Workloads.update(ctx, ref, m -> Workloads.withTemplate(m, template));
    ctx.out().println(ref.display() + " rolled back");
    return 0;
  }
}
