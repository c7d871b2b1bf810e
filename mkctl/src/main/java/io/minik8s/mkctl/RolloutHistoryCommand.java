package io.minik8s.mkctl;

import io.minik8s.api.Container;
import io.minik8s.api.Deployment;
import io.minik8s.api.ReplicaSet;
import io.minik8s.client.api.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mkctl rollout history}: a deployment's revisions, from its ReplicaSets, as kubectl prints them. */
@Command(name = "history", description = {"View previous rollout revisions and configurations."})
public final class RolloutHistoryCommand extends NestedCommand {
  static final String CHANGE_CAUSE = "kubernetes.io/change-cause";

  @Parameters(paramLabel = "TYPE/NAME", arity = "1..2")
  List<String> args = new ArrayList<>();

  @Option(names = "--revision", defaultValue = "0", paramLabel = "N", description = "Show the pod template of this revision.")
  long revision;

  @Override
  protected int execute(MkctlContext ctx) {
    Workloads.Ref ref = Workloads.one(args, Set.of(Resources.DEPLOYMENTS), "history");
    Deployment d = (Deployment) ctx.cluster().get(ref.type(), ctx.namespace(), ref.name());
    List<ReplicaSet> sets = Workloads.replicaSetsOf(ctx, d);
    if (revision > 0) {
      Optional<ReplicaSet> rs = sets.stream().filter(r -> Workloads.revision(r) == revision).findFirst();
      if (rs.isEmpty()) {
        throw new MkctlException("unable to find the specified revision");
      }
      ctx.out().println(ref.display() + " with revision #" + revision);
      ctx.out().println("Pod Template:");
      ctx.out().println("  Labels:\t" + String.join(",", new TreeMap<>(rs.get().getSpec().getTemplate().getMetadata().getLabelsMap())
          .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
      ctx.out().println("  Containers:");
      for (Container c : rs.get().getSpec().getTemplate().getSpec().getContainersList()) {
        ctx.out().println("   " + c.getName() + ":");
        ctx.out().println("    Image:\t" + c.getImage());
      }
      return 0;
    }
    ctx.out().println(ref.display() + " ");
    ctx.out().println("REVISION  CHANGE-CAUSE");
    for (ReplicaSet rs : sets) {
      long n = Workloads.revision(rs);
      if (n == 0) {
        continue;
      }
      String cause = rs.getMetadata().getAnnotationsOrDefault(CHANGE_CAUSE, "<none>");
      ctx.out().println(String.format("%-8s  %s", n, cause));
    }
    ctx.out().println();
    return 0;
  }
}
