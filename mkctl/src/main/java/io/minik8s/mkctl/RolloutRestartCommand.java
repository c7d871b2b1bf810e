package io.minik8s.mkctl;

import io.minik8s.api.PodTemplateSpec;
import io.minik8s.client.api.Resources;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mkctl rollout restart}: a template annotation with the time, so every pod is replaced. */
@Command(name = "restart", description = {"Restart a resource.", "", "Resource rollout will be restarted."})
public final class RolloutRestartCommand extends NestedCommand {
  static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

  @Parameters(paramLabel = "TYPE/NAME", arity = "1..2")
  List<String> args = new ArrayList<>();

  @Override
  protected int execute(MkctlContext ctx) {
    Workloads.Ref ref = Workloads.one(args, Set.of(Resources.DEPLOYMENTS, Resources.STATEFUL_SETS), "restart");
    String now = ctx.clock().instant().truncatedTo(ChronoUnit.SECONDS).toString();
    Workloads.update(ctx, ref, obj -> {
      PodTemplateSpec.Builder t = Workloads.template(obj).toBuilder();
      t.getMetadataBuilder().putAnnotations(RESTARTED_AT, now);
      return Workloads.withTemplate(obj, t.build());
    });
    ctx.out().println(ref.display() + " restarted");
    return 0;
  }
}
