package io.minik8s.mkctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mkctl set}: change a field of existing objects. */
@Command(
    name = "set",
    description = {"Set specific features on objects.", "", "Only image is supported: the container images of a pod template."},
    subcommands = {SetImageCommand.class})
public final class SetCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
