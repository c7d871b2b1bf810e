package io.minik8s.mkctl;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code mkctl}, the command-line client of MiniK8s, shaped after kubectl. This class is the
 * root command: it owns the global options ({@code --server}, {@code --namespace}), lists the
 * commands in groups as {@code kubectl --help} does, and prints usage mistakes kubectl's way.
 *
 * <p>The root of the command tree, as kubectl's (Kubernetes' staging/src/k8s.io/kubectl/pkg/cmd/cmd.go).
 */
@Command(
    name = "mkctl",
    header = "mkctl controls the MiniK8s cluster manager.",
    synopsisHeading = "%nUsage:%n  ",
    customSynopsis = "mkctl [COMMAND] [options]",
    description = "%nFind more information about a command with \"mkctl COMMAND --help\".",
    optionListHeading = "%nGlobal options (accepted by every command):%n",
    subcommands = {
        CreateCommand.class,
        GetCommand.class,
        DeleteCommand.class,
        ScaleCommand.class,
        RolloutCommand.class,
        SetCommand.class,
        DescribeCommand.class,
        LogsCommand.class,
        ExecCommand.class,
        ApplyCommand.class,
        CordonCommand.class,
        UncordonCommand.class,
        DrainCommand.class,
        AuthCommand.class,
        ApiResourcesCommand.class,
        VersionCommand.class,
        PkiCommand.class,
        TokenCommand.class,
        HelpCommand.class,
    })
public final class Mkctl implements Callable<Integer> {

  /** The command groups of the top-level help, in the order kubectl lists them. */
  private static final Map<String, List<String>> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put("Basic Commands", List.of("create", "get", "set", "delete"));
    GROUPS.put("Deploy Commands", List.of("rollout", "scale"));
    GROUPS.put("Cluster Management Commands", List.of("cordon", "uncordon", "drain"));
    GROUPS.put("Troubleshooting and Debugging Commands", List.of("describe", "logs", "exec", "auth"));
    GROUPS.put("Advanced Commands", List.of("apply"));
    GROUPS.put("Other Commands", List.of("api-resources", "version", "pki", "token", "help"));
  }

  @Option(names = {"-s", "--server"}, scope = ScopeType.INHERIT, paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "The api-server address(es). Default: $MKCTL_SERVER, else the `server:` line of the config file "
          + "($MKCTL_CONFIG, else ~/.minik8s/config), else " + ServerResolver.DEFAULT + ".")
  String server;

  @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
      description = "Bearer token for authentication to the api-server. Default: $MKCTL_TOKEN, else the `token:` "
          + "line of the config file, else none. Sent as well as the client certificate, if any.")
  String token;

  @Option(names = "--certificate-authority", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "The cluster CA the api-server's certificate must be signed by. Default: the config file's "
          + "`certificate-authority:` line.")
  java.nio.file.Path certificateAuthority;

  @Option(names = "--client-certificate", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Your client certificate (its CN is your user name, its O values your groups). Default: the config "
          + "file's `client-certificate:` line.")
  java.nio.file.Path clientCertificate;

  @Option(names = "--client-key", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "The key of --client-certificate. Default: the config file's `client-key:` line.")
  java.nio.file.Path clientKey;

  @Option(names = "--insecure-plaintext", scope = ScopeType.INHERIT,
      description = "Plain text, no TLS: only for an api-server started with --insecure-plaintext.")
  boolean insecurePlaintext;

  @Option(names = {"-n", "--namespace"}, scope = ScopeType.INHERIT, paramLabel = "NAMESPACE",
      description = "The namespace of this request. Default: " + MkctlContext.DEFAULT_NAMESPACE + ".")
  String namespace;

  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
  boolean help;

  @Spec
  CommandSpec spec;

  private final Environment env;

  public Mkctl(Environment env) {
    this.env = env;
  }

  public static void main(String[] args) {
    // gRPC logs through java.util.logging; a CLI reports failures itself.
    Logger.getLogger("io.grpc").setLevel(Level.SEVERE);
    System.exit(run(args));
  }

  /** Runs mkctl with the real environment and System.out/System.err; returns the exit code. */
  public static int run(String... args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    return run(Environment.system(), out, err, args);
  }

  /** Runs mkctl in the given environment, writing to the given streams; returns the exit code. */
  public static int run(Environment env, PrintWriter out, PrintWriter err, String... args) {
    int code = commandLine(env, out, err).execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The configured command line: commands, help layout, error handling and streams. */
  public static CommandLine commandLine(Environment env, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Mkctl(env));
    layoutHelp(cl);
    cl.setParameterExceptionHandler(Mkctl::usageError);
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return 1;
    });
    cl.setUsageHelpWidth(120);
    cl.setOut(out);
    cl.setErr(err);
    return cl;
  }

  /**
   * Help laid out as kubectl's: the top level lists the commands in groups, then the global
   * options; a command's help is its description, examples, arguments, options, then usage.
   */
  private static void layoutHelp(CommandLine root) {
    UsageMessageSpec top = root.getCommandSpec().usageMessage();
    top.sectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, Mkctl::groupedCommands);
    top.sectionKeys(List.of(
        UsageMessageSpec.SECTION_KEY_HEADER,
        UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
        UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING,
        UsageMessageSpec.SECTION_KEY_OPTION_LIST,
        UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING,
        UsageMessageSpec.SECTION_KEY_SYNOPSIS,
        UsageMessageSpec.SECTION_KEY_DESCRIPTION_HEADING,
        UsageMessageSpec.SECTION_KEY_DESCRIPTION));
    for (CommandLine sub : root.getSubcommands().values()) {
      sub.getCommandSpec().usageMessage()
          .synopsisHeading("%nUsage:%n  ")
          .parameterListHeading("%nArguments:%n")
          .optionListHeading("%nOptions:%n")
          .sectionKeys(List.of(
              UsageMessageSpec.SECTION_KEY_DESCRIPTION_HEADING,
              UsageMessageSpec.SECTION_KEY_DESCRIPTION,
              UsageMessageSpec.SECTION_KEY_FOOTER_HEADING,
              UsageMessageSpec.SECTION_KEY_FOOTER,
              UsageMessageSpec.SECTION_KEY_PARAMETER_LIST_HEADING,
              UsageMessageSpec.SECTION_KEY_PARAMETER_LIST,
              UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING,
              UsageMessageSpec.SECTION_KEY_OPTION_LIST,
              UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING,
              UsageMessageSpec.SECTION_KEY_SYNOPSIS));
    }
  }

  /** With no command, mkctl prints its help, as kubectl does. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  MkctlContext newContext(CommandSpec command) {
    CommandLine cl = command.commandLine();
    return new MkctlContext(env, cl.getOut(), cl.getErr(), server, namespace,
        new ServerResolver.TlsFlags(certificateAuthority, clientCertificate, clientKey, insecurePlaintext), token);
  }

  /** Usage mistakes: {@code error: ...} and a pointer to the command's help, exit code 1. */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    String path = qualifiedName(cl);
    if (e instanceof UnmatchedArgumentException u && cl.getParent() == null && !u.getUnmatched().isEmpty()
        && !u.getUnmatched().get(0).startsWith("-")) {
      err.println("error: unknown command \"" + u.getUnmatched().get(0) + "\" for \"mkctl\"");
      if (!u.getSuggestions().isEmpty()) {
        err.println();
        err.println("Did you mean this?");
        for (String s : u.getSuggestions()) {
          err.println("\t" + s);
        }
      }
    } else {
      err.println("error: " + e.getMessage());
    }
    err.println("See '" + path + " --help' for usage.");
    err.flush();
    return 1;
  }

  private static String qualifiedName(CommandLine cl) {
    return cl.getCommandSpec().qualifiedName(" ");
  }

  /** The command list of {@code mkctl --help}, grouped like kubectl's. */
  private static String groupedCommands(Help help) {
    Map<String, Help> subcommands = help.subcommands();
    int width = subcommands.keySet().stream().mapToInt(String::length).max().orElse(10) + 4;
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<String>> group : GROUPS.entrySet()) {
      sb.append('\n').append(group.getKey()).append(":\n");
      for (String name : group.getValue()) {
        Help sub = subcommands.get(name);
        if (sub == null) {
          continue;
        }
        sb.append("  ").append(String.format("%-" + width + "s", name)).append(summary(sub.commandSpec())).append('\n');
      }
    }
    return sb.toString();
  }

  /** A command's one-line summary: its header, else the first line of its description. */
  static String summary(CommandSpec command) {
    String[] header = command.usageMessage().header();
    String[] description = command.usageMessage().description();
    String first = header.length > 0 ? header[0] : description.length > 0 ? description[0] : "";
    return firstLine(first);
  }

  private static String firstLine(String text) {
    String t = text.replace("%n", "\n").strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }
}
