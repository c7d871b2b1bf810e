package io.minik8s.mkctl;

import picocli.CommandLine.Command;

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
public final class RolloutCommand extends CommandGroup {}
