package io.minik8s.mkctl;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mkctl help [COMMAND]}: the same text as {@code mkctl [COMMAND] --help}. */
@Command(
    name = "help",
    description = {
        "Help about any command.",
        "",
        "Prints the help of the given command, or the list of commands.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  mkctl help",
        "  mkctl help get",
    })
public final class HelpCommand extends MkctlCommand {
  @Parameters(paramLabel = "COMMAND", arity = "0..1", description = "The command to describe.")
  List<String> command = new ArrayList<>();

  @Override
  protected int execute(MkctlContext ctx) {
    CommandLine root = spec.root().commandLine();
    if (command.isEmpty()) {
      root.usage(ctx.out());
      return 0;
    }
    CommandLine sub = root.getSubcommands().get(command.get(0));
    if (sub == null) {
      throw new MkctlException("unknown command \"" + command.get(0) + "\" for \"mkctl\"");
    }
    sub.usage(ctx.out());
    return 0;
  }
}
