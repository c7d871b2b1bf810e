package io.minik8s.mkctl;

import io.minik8s.api.ExecOutput;
import io.minik8s.api.PodExecRequest;
import io.minik8s.client.ApiClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mkctl exec}: run a command in a container; its exit code becomes mkctl's. */
@Command(
    name = "exec",
    description = {"Execute a command in a container."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  mkctl exec web -- ls /www",
        "  mkctl exec web -c sidecar -- sh -c 'echo $HOSTNAME'"})
public final class ExecCommand extends MkctlCommand {
  @Parameters(index = "0", paramLabel = "POD", description = "The pod (pod/NAME is accepted).")
  String pod;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments, after --.")
  List<String> command = new ArrayList<>();

  @Option(names = {"-c", "--container"}, paramLabel = "NAME", description = "The container (default: the only one).")
  String container = "";

  @Override
  protected int execute(MkctlContext ctx) {
    PodExecRequest req = PodExecRequest.newBuilder().setNamespace(ctx.namespace())
        .setName(pod.startsWith("pod/") ? pod.substring(4) : pod).setContainer(container)
        .addAllCommand(command).build();
    int exit = 1;
    try (ApiClient client = ctx.connection().open()) {
      Iterator<ExecOutput> it = io.minik8s.api.ApiGrpc.newBlockingStub(client.channel()).podExec(req);
      while (it.hasNext()) {
        ExecOutput o = it.next();
        if (!o.getStdout().isEmpty()) {
          ctx.out().print(o.getStdout().toString(StandardCharsets.UTF_8));
          ctx.out().flush();
        }
        if (!o.getStderr().isEmpty()) {
          ctx.err().print(o.getStderr().toString(StandardCharsets.UTF_8));
          ctx.err().flush();
        }
        if (o.hasExitCode()) {
          exit = o.getExitCode();
        }
      }
    }
    return exit;
  }
}
