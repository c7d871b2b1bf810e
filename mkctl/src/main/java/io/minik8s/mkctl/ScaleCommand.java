package io.minik8s.mkctl;

import com.google.protobuf.Message;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.Scale;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mkctl scale}: set the replica count of deployments, replica sets and stateful sets.
 *
 * <p>kubectl scale (Kubernetes' staging/src/k8s.io/kubectl/pkg/cmd/scale/scale.go).
 */
@Command(
    name = "scale",
    description = {
        "Set a new size for a deployment, replica set or stateful set.",
        "",
        "Changes the desired number of replicas through the scale subresource. With --current-replicas "
            + "the size is changed only if it still is the given one.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  # Scale a deployment to 5 replicas",
        "  mkctl scale deployment/nginx-deployment --replicas=5",
        "  mkctl scale deploy nginx-deployment --replicas=5",
        "",
        "  # Scale a stateful set to 2, only if it has 3 now",
        "  mkctl scale sts web --current-replicas=3 --replicas=2",
        "",
        "  # Scale every replica set with a label",
        "  mkctl scale rs -l tier=frontend --replicas=1",
    })
public final class ScaleCommand extends MkctlCommand {
  static final Set<ResourceType> SCALABLE = Set.of(Resources.DEPLOYMENTS, Resources.REPLICA_SETS, Resources.STATEFUL_SETS);

  @Parameters(paramLabel = "TYPE[/NAME]", arity = "1..*", description = "TYPE NAME..., or TYPE/NAME...")
  List<String> args = new ArrayList<>();

  @Option(names = "--replicas", required = true, paramLabel = "N", description = "The new number of replicas.")
  int replicas;

  @Option(names = "--current-replicas", paramLabel = "N", defaultValue = "-1",
      description = "Precondition: scale only if the number of replicas is this now.")
  int currentReplicas;

  @Option(names = "--resource-version", paramLabel = "VERSION",
      description = "Precondition: scale only if the object's resourceVersion is this now.")
  String resourceVersion;

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "Scale the objects with these labels.")
  String selector = "";

  @Option(names = "--all", description = "Scale every object of the type in the namespace.")
  boolean all;

  @Override
  protected int execute(MkctlContext ctx) {
    if (replicas < 0) {
      throw new MkctlException("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
    }
    boolean failed = false;
    for (ResourceArgs.Target target : ResourceArgs.parse(args)) {
      ResourceType type = target.type();
      if (!SCALABLE.contains(type)) {
        throw new MkctlException("cannot scale " + type.qualifiedResource()
            + ": only deployments, replicasets and statefulsets have a scale subresource");
      }
      List<String> names = new ArrayList<>(target.names());
      if (names.isEmpty()) {
        if (!all && selector.isEmpty()) {
          throw new MkctlException("resource(s) were provided, but no name was specified");
        }
        for (Message m : ctx.cluster().list(type, ctx.namespace(), selector, "").items()) {
          names.add(KubeObjects.meta(m).getName());
        }
        if (names.isEmpty()) {
          ctx.err().println("No resources found in " + ctx.namespace() + " namespace.");
        }
      } else if (all || !selector.isEmpty()) {
        throw new MkctlException("names cannot be provided together with --all or a selector");
      }
      for (String name : names) {
        try {
          scale(ctx, type, name);
          ctx.out().println(type.qualifiedSingular() + "/" + name + " scaled");
          ctx.out().flush();
        } catch (StatusRuntimeException e) {
          if (Errors.isConnectionFailure(e.getStatus())) {
            throw e;
          }
          ctx.error(e);
          failed = true;
        } catch (MkctlException e) {
          ctx.error(e.getMessage());
          failed = true;
        }
      }
    }
    return failed ? 1 : 0;
  }

  private void scale(MkctlContext ctx, ResourceType type, String name) {
    Scale current = ctx.cluster().getScale(type, ctx.namespace(), name);
    if (currentReplicas >= 0 && current.getSpec().getReplicas() != currentReplicas) {
      throw new MkctlException("Expected replicas to be " + currentReplicas + ", was " + current.getSpec().getReplicas());
    }
    if (resourceVersion != null && !resourceVersion.equals(current.getMetadata().getResourceVersion())) {
      throw new MkctlException("Expected resourceVersion to be " + resourceVersion + ", was "
          + current.getMetadata().getResourceVersion());
    }
    Scale.Builder next = current.toBuilder();
    next.getSpecBuilder().setReplicas(replicas);
    if (currentReplicas < 0 && resourceVersion == null) {
      // No precondition: the new size wins over a concurrent change, as with kubectl's patch.
      next.getMetadataBuilder().clearResourceVersion();
    }
    next.getMetadataBuilder().setName(name).setNamespace(ctx.namespace());
    ctx.cluster().updateScale(type, next.build());
  }
}
