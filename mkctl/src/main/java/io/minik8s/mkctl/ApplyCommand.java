package io.minik8s.mkctl;

import com.google.protobuf.Message;
import io.grpc.StatusRuntimeException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mkctl apply -f FILE|DIR|-}: create what is absent, update what changed.
 *
 * <p>kubectl apply (Kubernetes' staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go).
 */
@Command(
    name = "apply",
    description = {
        "Apply a configuration to a resource by file name or stdin.",
        "",
        "Objects that do not exist yet are created; existing ones are updated when their manifest changed since "
            + "the last apply, which mkctl remembers in the annotation "
            + "kubectl.kubernetes.io/last-applied-configuration. YAML and JSON are accepted; a file may hold "
            + "several objects separated by '---'. A file that does not parse is not applied at all.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  # Apply the configuration in nginx-deployment.yaml",
        "  mkctl apply -f examples/nginx-deployment.yaml",
        "",
        "  # Apply every .yaml, .yml and .json file of a directory, in name order",
        "  mkctl apply -f examples/",
        "",
        "  # Apply a manifest read from standard input, in namespace 'test'",
        "  cat pod.yaml | mkctl apply -n test -f -",
    })
public final class ApplyCommand extends MkctlCommand {
  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
      description = "A file, a directory or '-' for standard input. Repeatable.")
  List<String> files;

  @Option(names = {"-R", "--recursive"}, description = "Also read the subdirectories of directories given with -f.")
  boolean recursive;

  @Override
  protected int execute(MkctlContext ctx) {
    Manifests.Loaded loaded = Manifests.load(ctx, files, recursive);
    if (loaded.items().isEmpty()) {
      if (!loaded.failed()) {
        ctx.error("no objects passed to apply");
      }
      return 1;
    }
    boolean failed = loaded.failed();
    Applier applier = new Applier(ctx.cluster());
    for (Manifests.Item item : loaded.items()) {
      try {
        Message object = Manifests.inNamespace(item.object(), ctx);
        ctx.out().println(applier.apply(object).message());
        ctx.out().flush();
      } catch (StatusRuntimeException e) {
        if (Errors.isConnectionFailure(e.getStatus())) {
          throw e; // no point trying the other objects
        }
        ctx.error(e, "error when applying \"" + item.source() + "\": ");
        failed = true;
      } catch (MkctlException e) {
        ctx.error(e.getMessage());
        failed = true;
      }
    }
    return failed ? 1 : 0;
  }
}
