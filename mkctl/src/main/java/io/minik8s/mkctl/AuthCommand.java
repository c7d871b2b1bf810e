package io.minik8s.mkctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mkctl auth}: inspect authorization. */
@Command(
    name = "auth",
    description = {"Inspect authorization."},
    subcommands = {AuthCanICommand.class})
public final class AuthCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
