package io.minik8s.mkctl;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mkctl rollout resume}: a paused deployment rolls out again. */
@Command(name = "resume", description = {"Resume a paused resource.", "", "Changes made while it was paused roll out now."})
public final class RolloutResumeCommand extends NestedCommand {
  @Parameters(paramLabel = "TYPE/NAME", arity = "1..2")
  List<String> args = new ArrayList<>();

  @Override
  protected int execute(MkctlContext ctx) {
    return RolloutPauseCommand.setPaused(ctx, args, false);
  }
}
