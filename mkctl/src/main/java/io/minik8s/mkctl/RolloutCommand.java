package io.minik8s.mkctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mkctl rollout}: manage the rollout of deployments (and stateful sets). */
@Command(
    name = "rollout",
    description = {
        "Manage the rollout of one or many resources.",
        "",
        "Valid resource types include: deployments, statefulsets (status, restart).",
    },
    subcommands = {
        RolloutStatusCommand.class,
        RolloutHistoryCommand.class,
        RolloutUndoCommand.class,
        RolloutPauseCommand.class,
        RolloutResumeCommand.class,
        RolloutRestartCommand.class,
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  # Roll back to the previous deployment",
        "  mkctl rollout undo deployment/nginx-deployment",
        "",
        "  # Watch the rollout status of a deployment",
        "  mkctl rollout status deployment/nginx-deployment",
    })
public final class RolloutCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
