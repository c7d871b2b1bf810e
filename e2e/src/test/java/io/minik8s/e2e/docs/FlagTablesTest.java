package io.minik8s.e2e.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.bench.BenchMain;
import io.minik8s.mkctl.Environment;
import io.minik8s.mkctl.Mkctl;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The flag tables of the modules' READMEs say what each command's Picocli options say: the same
 * flags (aliases included), with the same defaults. Every process's command has a table.
 */
@Timeout(180)
class FlagTablesTest {
  /** The command of every process (and of the bench's benchmarks) and the README that documents it. */
  private static final Map<String, String> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("io.minik8s.apiserver.ApiServerMain", "api-server/README.md");
    COMMANDS.put("io.minik8s.controllermanager.ControllerManagerMain", "controller-manager/README.md");
    COMMANDS.put("io.minik8s.scheduler.SchedulerMain", "scheduler/README.md");
    COMMANDS.put("io.minik8s.kubelet.KubeletMain", "kubelet/README.md");
    COMMANDS.put("io.minik8s.kubeproxy.KubeProxyMain", "kube-proxy/README.md");
    COMMANDS.put("io.minik8s.mkctl.Mkctl", "mkctl/README.md");
    // every benchmark the bench jar has, so that a new one without a table fails here
    new CommandLine(BenchMain.class).getSubcommands().values().forEach(
        sub -> COMMANDS.put(sub.getCommandSpec().userObject().getClass().getName(), "bench/README.md"));
  }

  @Test
  void everyCommandHasATableOfItsFlagsThatMatchesItsOptions() throws Exception {
    Path root = Repo.root();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : COMMANDS.entrySet()) {
      List<FlagTable> tables = FlagTable.in(Repo.read(root.resolve(e.getValue()))).stream()
          .filter(t -> t.commandClass().equals(e.getKey())).toList();
      if (tables.isEmpty()) {
        problems.add(e.getValue() + ": no <!-- flags: " + e.getKey() + " --> table");
        continue;
      }
      for (FlagTable t : tables) {
        problems.addAll(compare(e.getValue() + ":" + t.line(), options(commandLine(e.getKey())), t.defaults()));
      }
    }
    assertThat(problems).as("flag tables that differ from the code").isEmpty();
  }

  @Test
  void theArchitectureGivesEachFlagItsDefault() throws Exception {
    // "(`--secure-port` 6443)" in ARCHITECTURE.md: some command must have that flag with that default
    Map<String, Set<String>> defaults = new LinkedHashMap<>();
    for (String command : COMMANDS.keySet()) {
      options(commandLine(command)).forEach((flag, def) -> defaults.computeIfAbsent(flag, f -> new HashSet<>()).add(def));
    }
    Matcher m = Pattern.compile("`(--[a-z-]+)` ([0-9][0-9a-z./]*)")
        .matcher(Repo.read(Repo.root().resolve("docs/ARCHITECTURE.md")));
    List<String> wrong = new ArrayList<>();
    int found = 0;
    while (m.find()) {
      found++;
      if (!defaults.getOrDefault(m.group(1), Set.of()).contains(m.group(2))) {
        wrong.add(m.group(1) + " " + m.group(2) + " (the code's defaults: " + defaults.get(m.group(1)) + ")");
      }
    }
    assertThat(found).as("flags with defaults named in ARCHITECTURE.md").isGreaterThanOrEqualTo(9);
    assertThat(wrong).as("defaults ARCHITECTURE.md gives that no command has").isEmpty();
  }

  @Test
  void everyBenchmarkIsCovered() {
    assertThat(COMMANDS).containsKeys("io.minik8s.bench.SchedulerBenchmark", "io.minik8s.bench.ServiceBenchmark",
        "io.minik8s.bench.soak.SoakCommand");
  }

  @Test
  void aDifferenceIsReported() {
    Map<String, String> code = Map.of("--port", "10250", "--node-name", FlagTable.NONE);
    assertThat(compare("x", code, Map.of("--port", "10250", "--node-name", FlagTable.NONE))).isEmpty();
    assertThat(compare("x", code, Map.of("--port", "10251", "--node-name", FlagTable.NONE)))
        .containsExactly("x: --port: the table says default 10251, the code 10250");
    assertThat(compare("x", code, Map.of("--port", "10250")))
        .containsExactly("x: --node-name is a flag of the command but not in the table");
    assertThat(compare("x", code, Map.of("--port", "10250", "--node-name", FlagTable.NONE, "--gone", FlagTable.NONE)))
        .containsExactly("x: --gone is in the table but not a flag of the command");
  }

  /** The command as its main method builds it (mkctl's root command takes its environment). */
  static CommandLine commandLine(String className) throws ClassNotFoundException {
    if (className.equals(Mkctl.class.getName())) {
      PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
      return Mkctl.commandLine(Environment.system(), nowhere, nowhere);
    }
    return new CommandLine(Class.forName(className));
  }

  /** Each name of each flag of a command, short ones too (standard help options left out), and its default. */
  static Map<String, String> options(CommandLine command) {
    Map<String, String> out = new LinkedHashMap<>();
    for (OptionSpec o : command.getCommandSpec().options()) {
      if (o.usageHelp() || o.versionHelp() || o.hidden()) {
        continue;
      }
      for (String name : o.names()) {
        out.put(name, o.defaultValue() == null ? FlagTable.NONE : o.defaultValue());
      }
    }
    return out;
  }

  static List<String> compare(String where, Map<String, String> code, Map<String, String> table) {
    List<String> problems = new ArrayList<>();
    code.forEach((flag, def) -> {
      if (!table.containsKey(flag)) {
        problems.add(where + ": " + flag + " is a flag of the command but not in the table");
      } else if (!table.get(flag).equals(def)) {
        problems.add(where + ": " + flag + ": the table says default " + table.get(flag) + ", the code " + def);
      }
    });
    table.keySet().stream().filter(f -> !code.containsKey(f))
        .forEach(f -> problems.add(where + ": " + f + " is in the table but not a flag of the command"));
    return problems;
  }
}
