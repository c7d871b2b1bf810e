package io.minik8s.mkctl;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.DeleteRequest;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mkctl delete}: delete objects by name, by label selector, all of a type, or those of manifests.
 *
 * <p>kubectl delete (Kubernetes' staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go).
 */
@Command(
    name = "delete",
    description = {
        "Delete resources by file names, stdin, resources and names, or by resources and label selector.",
        "",
        "Pods are deleted gracefully: their containers get the grace period (30 seconds unless the pod says "
            + "otherwise) to stop. --grace-period overrides it; --force --grace-period=0 removes the pod at once, "
            + "without waiting for its containers to stop. Objects that own others (a deployment its replica "
            + "sets, a replica set its pods) take their dependents with them unless --cascade=orphan.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  # Delete the objects of a manifest",
        "  mkctl delete -f examples/nginx-deployment.yaml",
        "",
        "  # Delete pods by name, and a service in the resource/name form",
        "  mkctl delete pod web-0 web-1",
        "  mkctl delete svc/frontend",
        "",
        "  # Delete the pods with a label, or all pods of the namespace",
        "  mkctl delete pods -l app=nginx",
        "  mkctl delete pods --all",
        "",
        "  # Delete a replica set but keep its pods",
        "  mkctl delete rs frontend --cascade=orphan",
        "",
        "  # Delete a pod at once",
        "  mkctl delete pod web-0 --now",
        "  mkctl delete pod web-0 --force --grace-period=0",
    })
public final class DeleteCommand extends MkctlCommand {
  static final String FORCE_WARNING = "Warning: Immediate deletion does not wait for confirmation that the running "
      + "resource has been terminated. The resource may continue to run on the cluster indefinitely.";

  @Parameters(paramLabel = "TYPE[/NAME]", arity = "0..*", description = "TYPE [NAME...], or TYPE/NAME...")
  List<String> args = new ArrayList<>();

  @Option(names = {"-f", "--filename"}, paramLabel = "FILE",
      description = "Delete the objects of a file, a directory or '-' (standard input). Repeatable.")
  List<String> files = new ArrayList<>();

  @Option(names = {"-R", "--recursive"}, description = "Also read the subdirectories of directories given with -f.")
  boolean recursive;

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "Delete the objects with these labels.")
  String selector = "";

  @Option(names = "--field-selector", paramLabel = "SELECTOR", description = "Delete the objects whose fields match.")
  String fieldSelector = "";

  @Option(names = "--all", description = "Delete every object of the type in the namespace.")
  boolean all;

  @Option(names = {"-A", "--all-namespaces"}, description = "With --all or a selector: in every namespace.")
  boolean allNamespaces;

  @Option(names = "--cascade", paramLabel = "background|foreground|orphan", defaultValue = "background",
      description = "What happens to dependents: deleted in the background (default), deleted before the owner "
          + "(foreground), or kept (orphan).")
  String cascade;

  @Option(names = "--grace-period", paramLabel = "SECONDS", defaultValue = "-1",
      description = "Seconds a pod gets to stop; -1 (default) uses the pod's own; 0 needs --force.")
  int gracePeriod;

  @Option(names = "--now", description = "Give pods one second to stop (same as --grace-period=1).")
  boolean now;

  @Option(names = "--force", description = "With --grace-period=0: remove pods at once, without waiting for their containers.")
  boolean force;

  @Option(names = "--ignore-not-found", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
      description = "Treat objects that do not exist as deleted. The default with --all and selectors.")
  Boolean ignoreNotFound;

  /** One object to delete. */
  record Victim(ResourceType type, String namespace, String name) {}

  @Override
  protected int execute(MkctlContext ctx) {
    String policy = propagationPolicy(cascade);
    Long grace = effectiveGracePeriod();
    boolean bySelection = all || !selector.isEmpty() || !fieldSelector.isEmpty();
    boolean ignoreMissing = ignoreNotFound != null ? ignoreNotFound : bySelection;
    boolean failed = false;

    List<Victim> victims = new ArrayList<>();
    if (!files.isEmpty()) {
      if (!args.isEmpty()) {
        throw new MkctlException("resources and -f cannot be given together");
      }
      Manifests.Loaded loaded = Manifests.load(ctx, files, recursive);
      failed = loaded.failed();
      for (Manifests.Item item : loaded.items()) {
        try {
          Message object = Manifests.inNamespace(item.object(), ctx);
          ResourceType type = item.type();
          victims.add(new Victim(type, MkctlContext.scoped(type, KubeObjects.meta(object).getNamespace()),
              KubeObjects.meta(object).getName()));
        } catch (MkctlException e) {
          ctx.error(e.getMessage());
          failed = true;
        }
      }
    } else {
      if (args.isEmpty()) {
        throw new MkctlException("You must provide one or more resources by argument or filename.");
      }
      for (ResourceArgs.Target target : ResourceArgs.parse(args)) {
        ResourceType type = target.type();
        if (!target.names().isEmpty()) {
          if (bySelection) {
            throw new MkctlException("names cannot be provided together with --all or a selector");
          }
          for (String name : target.names()) {
            victims.add(new Victim(type, MkctlContext.scoped(type, ctx.namespace()), name));
          }
        } else if (bySelection) {
          String namespace = allNamespaces ? "" : MkctlContext.scoped(type, ctx.namespace());
          List<Message> items = new ArrayList<>(ctx.cluster().list(type, namespace, selector, fieldSelector).items());
          items.sort(GetCommand.order(type));
          for (Message m : items) {
            victims.add(new Victim(type, KubeObjects.meta(m).getNamespace(), KubeObjects.meta(m).getName()));
          }
        } else {
          throw new MkctlException("resource(s) were provided, but no name was specified");
        }
      }
      if (victims.isEmpty()) {
        ctx.err().println("No resources found");
        return 0;
      }
    }
    if (force && grace != null && grace == 0) {
      ctx.err().println(FORCE_WARNING);
    }
    for (Victim v : victims) {
      DeleteRequest.Builder req = DeleteRequest.newBuilder()
          .setResource(v.type().resource()).setNamespace(v.namespace()).setName(v.name())
          .setPropagationPolicy(policy);
      if (grace != null) {
        req.setGracePeriodSeconds(grace);
      }
      try {
        ctx.cluster().delete(req.build());
        ctx.out().println(v.type().qualifiedSingular() + " \"" + v.name() + "\" "
            + (force && grace != null && grace == 0 ? "force deleted" : "deleted"));
        ctx.out().flush();
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.NOT_FOUND && ignoreMissing) {
          continue;
        }
        if (Errors.isConnectionFailure(e.getStatus())) {
          throw e;
        }
        ctx.error(e);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  }

  /**
   * The grace period to send, or null to let the object's own apply. As kubectl: --now means
   * one second; zero without --force is raised to one second so that nothing is removed before
   * its containers were told to stop; --force alone means zero.
   */
  Long effectiveGracePeriod() {
    int g = gracePeriod;
    if (now) {
      if (g != -1) {
        throw new MkctlException("--now and --grace-period cannot be specified together");
      }
      g = 1;
    }
    if (g == 0 && !force) {
      g = 1;
    }
    if (force && g < 0) {
      g = 0;
    }
    return g < 0 ? null : (long) g;
  }

  /** The DeleteRequest's propagation policy for a --cascade value. */
  static String propagationPolicy(String cascade) {
    return switch (cascade.toLowerCase(Locale.ROOT)) {
      case "background", "true" -> "Background";
      case "foreground" -> "Foreground";
      case "orphan", "false" -> "Orphan";
      default -> throw new MkctlException("invalid cascade value (" + cascade
          + "). Must be \"background\", \"foreground\", or \"orphan\"");
    };
  }
}
