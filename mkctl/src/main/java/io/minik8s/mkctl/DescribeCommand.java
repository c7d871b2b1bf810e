package io.minik8s.mkctl;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.Event;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import io.minik8s.mkctl.printers.Describer;
import io.minik8s.mkctl.printers.Describers;
import io.minik8s.mkctl.printers.Lookup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mkctl describe}: the details of objects, with the events about them.
 *
 * <p>kubectl describe (Kubernetes' staging/src/k8s.io/kubectl/pkg/cmd/describe/describe.go).
 */
@Command(
    name = "describe",
    description = {
        "Show details of a specific resource or group of resources.",
        "",
        "Prints the important fields of each object's spec and status, related objects (a deployment's "
            + "replica sets, a replica set's pods, a service's endpoints) and the events about it. "
            + "A NAME that matches no object is taken as a prefix: 'mkctl describe pods web' describes "
            + "web-0, web-1, ... With no NAME, every object of the type is described.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  # Describe a node",
        "  mkctl describe nodes node-1",
        "",
        "  # Describe a pod, or every pod whose name starts with 'nginx-deployment'",
        "  mkctl describe pod/web-0",
        "  mkctl describe pods nginx-deployment",
        "",
        "  # Describe all pods with a label",
        "  mkctl describe pods -l app=nginx",
    })
public final class DescribeCommand extends MkctlCommand {
  @Parameters(paramLabel = "TYPE[/NAME]", arity = "1..*", description = "TYPE [NAME_PREFIX...], or TYPE/NAME...")
  List<String> args = new ArrayList<>();

  @Option(names = {"-A", "--all-namespaces"}, description = "Describe the objects of every namespace.")
  boolean allNamespaces;

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "Label selector, such as app=web.")
  String selector = "";

  private final Map<String, List<Message>> eventsByNamespace = new HashMap<>();

  @Override
  protected int execute(MkctlContext ctx) {
    List<ResourceArgs.Target> targets = ResourceArgs.parse(args);
    boolean named = targets.stream().anyMatch(t -> !t.names().isEmpty());
    if (named && !selector.isEmpty()) {
      throw new MkctlException("name cannot be provided when a selector is specified");
    }
    Lookup lookup = lookup(ctx.cluster());
    Describer.Context dctx = new Describer.Context(lookup, ctx.clock().instant(), ctx.clock().getZone());
    List<StatusRuntimeException> errors = new ArrayList<>();
    boolean first = true;
    boolean any = false;
    for (ResourceArgs.Target target : targets) {
      for (Message object : objects(ctx, target, errors)) {
        if (!first) {
          ctx.out().println();
        }
        first = false;
        any = true;
        ctx.out().print(Describers.describe(object, events(ctx, object), dctx));
        ctx.out().flush();
      }
    }
    if (!any && !named && errors.isEmpty()) {
      boolean namespaced = targets.stream().anyMatch(t -> t.type().namespaced());
      ctx.err().println(allNamespaces || !namespaced ? "No resources found"
          : "No resources found in " + ctx.namespace() + " namespace.");
    }
    errors.forEach(ctx::error);
    return errors.isEmpty() ? 0 : 1;
  }

  /** The objects to describe: by exact name, else by name prefix, else all of the type. */
  private List<Message> objects(MkctlContext ctx, ResourceArgs.Target target, List<StatusRuntimeException> errors) {
    ResourceType type = target.type();
    String namespace = allNamespaces ? "" : MkctlContext.scoped(type, ctx.namespace());
    if (target.names().isEmpty()) {
      List<Message> items = new ArrayList<>(ctx.cluster().list(type, namespace, selector, "").items());
      items.sort(GetCommand.order(type));
      return items;
    }
    List<Message> out = new ArrayList<>();
    List<Message> all = null;
    for (String name : target.names()) {
      Optional<Message> exact = ctx.cluster().find(type, MkctlContext.scoped(type, ctx.namespace()), name);
      if (exact.isPresent()) {
        out.add(exact.get());
        continue;
      }
      if (all == null) {
        all = new ArrayList<>(ctx.cluster().list(type, MkctlContext.scoped(type, ctx.namespace()), "", "").items());
        all.sort(GetCommand.order(type));
      }
      List<Message> prefixed = all.stream().filter(m -> KubeObjects.meta(m).getName().startsWith(name)).toList();
      if (prefixed.isEmpty()) {
        errors.add(Status.NOT_FOUND.withDescription(type.qualifiedResource() + " \"" + name + "\" not found")
            .asRuntimeException());
      }
      out.addAll(prefixed);
    }
    return out;
  }

  /** The events about the object (listed once per namespace, filtered here: the server selects events by name only). */
  private List<Event> events(MkctlContext ctx, Message object) {
    String namespace = KubeObjects.meta(object).getNamespace();
    List<Message> candidates = eventsByNamespace.computeIfAbsent(namespace, ns -> {
      try {
        return ctx.cluster().list(Resources.EVENTS, ns, "", "").items();
      } catch (StatusRuntimeException e) {
        return List.of();
      }
    });
    return Describers.eventsFor(object, candidates);
  }

  /** Related objects for the describers; a failed lookup yields nothing. */
  static Lookup lookup(Cluster cluster) {
    return new Lookup() {
      @Override
      public List<Message> list(ResourceType type, String namespace, String labelSelector, String fieldSelector) {
        try {
          return cluster.list(type, namespace, labelSelector, fieldSelector).items();
        } catch (StatusRuntimeException e) {
          return List.of();
        }
      }

      @Override
      public Optional<Message> find(ResourceType type, String namespace, String name) {
        try {
          return cluster.find(type, namespace, name);
        } catch (StatusRuntimeException e) {
          return Optional.empty();
        }
      }
    };
  }
}
