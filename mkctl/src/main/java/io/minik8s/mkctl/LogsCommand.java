package io.minik8s.mkctl;

import io.minik8s.api.LogChunk;
import io.minik8s.api.PodLogsRequest;
import io.minik8s.client.ApiClient;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mkctl logs}: a container's output, through the api-server from the node's kubelet. */
@Command(
    name = "logs",
    description = {"Print the logs for a container in a pod."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  mkctl logs nginx",
        "  mkctl logs web -c sidecar --tail 20",
        "  mkctl logs -f web",
        "  mkctl logs --previous web"})
public final class LogsCommand extends MkctlCommand {
  @Parameters(paramLabel = "POD", description = "The pod (pod/NAME is accepted).")
  String pod;

  @Option(names = {"-c", "--container"}, paramLabel = "NAME", description = "The container (default: the only one).")
  String container = "";

  @Option(names = {"-f", "--follow"}, description = "Keep streaming new output until the container stops.")
  boolean follow;

  @Option(names = "--tail", paramLabel = "N", defaultValue = "-1", description = "Only the last N lines (default: all).")
  int tail;

  @Option(names = {"-p", "--previous"}, description = "The previous, terminated instance of the container.")
  boolean previous;

  @Override
  protected int execute(MkctlContext ctx) {
    PodLogsRequest.Builder req = PodLogsRequest.newBuilder().setNamespace(ctx.namespace())
        .setName(pod.startsWith("pod/") ? pod.substring(4) : pod).setContainer(container)
        .setFollow(follow).setPrevious(previous);
    if (tail >= 0) {
      req.setTailLines(tail);
    }
    try (ApiClient client = ctx.connection().open()) {
      Iterator<LogChunk> it = io.minik8s.api.ApiGrpc.newBlockingStub(client.channel()).podLogs(req.build());
      while (it.hasNext()) {
        LogChunk chunk = it.next();
        var w = chunk.getStream().equals("stderr") ? ctx.err() : ctx.out();
        w.print(chunk.getData().toString(StandardCharsets.UTF_8));
        w.flush();
      }
    }
    return 0;
  }
}
