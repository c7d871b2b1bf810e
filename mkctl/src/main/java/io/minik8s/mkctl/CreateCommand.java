package io.minik8s.mkctl;

import com.google.protobuf.Message;
import io.grpc.StatusRuntimeException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mkctl create -f FILE|DIR|-}: create objects; an existing one is an error.
 *
 * <p>kubectl create (Kubernetes' staging/src/k8s.io/kubectl/pkg/cmd/create/create.go).
 */
@Command(
    name = "create",
    description = {
        "Create a resource from a file or from stdin.",
        "",
        "Every object of the manifests is created; one that exists already fails with AlreadyExists "
            + "(use 'mkctl apply' to update existing objects).",
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  # Create the objects of a manifest",
        "  mkctl create -f examples/frontend-replicaset.yaml",
        "",
        "  # Create from standard input, remembering the configuration for later 'mkctl apply'",
        "  cat pod.json | mkctl create --save-config -f -",
    })
public final class CreateCommand extends MkctlCommand {
  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
      description = "A file, a directory or '-' for standard input. Repeatable.")
  List<String> files;

  @Option(names = {"-R", "--recursive"}, description = "Also read the subdirectories of directories given with -f.")
  boolean recursive;

  @Option(names = "--save-config",
      description = "Store the manifest in the last-applied-configuration annotation, so that a later apply compares with it.")
  boolean saveConfig;

  @Override
  protected int execute(MkctlContext ctx) {
    Manifests.Loaded loaded = Manifests.load(ctx, files, recursive);
    if (loaded.items().isEmpty()) {
      if (!loaded.failed()) {
        ctx.error("no objects passed to create");
      }
      return 1;
    }
    boolean failed = loaded.failed();
    for (Manifests.Item item : loaded.items()) {
      try {
        Message object = Manifests.inNamespace(item.object(), ctx);
        if (saveConfig) {
          object = Applier.withAnnotation(Applier.withoutLastApplied(object), Applier.LAST_APPLIED,
              Applier.lastAppliedOf(object));
        }
        Message created = ctx.cluster().create(object);
        ctx.out().println(item.type().qualifiedSingular() + "/" + io.minik8s.client.api.KubeObjects.meta(created).getName()
            + " created");
        ctx.out().flush();
      } catch (StatusRuntimeException e) {
        if (Errors.isConnectionFailure(e.getStatus())) {
          throw e; // no point trying the other objects
        }
        ctx.error(e, "error when creating \"" + item.source() + "\": ");
        failed = true;
      } catch (MkctlException e) {
        ctx.error(e.getMessage());
        failed = true;
      }
    }
    return failed ? 1 : 0;
  }
}
