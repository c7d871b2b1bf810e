package io.minik8s.mkctl;

import io.minik8s.client.printers.ClusterColumns;
import io.minik8s.client.printers.Age;
import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.WatchEvent;
import io.minik8s.api.WatchRequest;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import io.minik8s.mkctl.printers.ObjectPrinter;
import io.minik8s.mkctl.printers.TablePrinter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mkctl get}: tables of objects, or the objects in YAML or JSON, optionally watched.
 *
 * <p>kubectl get (Kubernetes' staging/src/k8s.io/kubectl/pkg/cmd/get/get.go).
 */
@Command(
    name = "get",
    description = {
        "Display one or many resources.",
        "",
        "Prints a table of the most important information about the objects of a type, or of the named ones. "
            + "Types are kinds, plurals or short names (pods, po, deploy, deployment.apps, svc, ...); "
            + "'mkctl api-resources' lists them. Several types may be given separated by commas, and 'all' "
            + "stands for pods, services, deployments, replica sets and stateful sets.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  # List all pods of the current namespace, then with their IP and node",
        "  mkctl get pods",
        "  mkctl get pods -o wide",
        "",
        "  # List a single deployment, and print it in YAML",
        "  mkctl get deployment nginx-deployment",
        "  mkctl get deploy/nginx-deployment -o yaml",
        "",
        "  # List pods of every namespace with a label, showing all labels",
        "  mkctl get pods -A -l app=nginx --show-labels",
        "",
        "  # List the pods of a node",
        "  mkctl get pods --field-selector spec.nodeName=node-1",
        "",
        "  # List replica sets and services together",
        "  mkctl get rs,svc",
        "",
        "  # Watch the pods: the table, then a row for every change (Ctrl-C to stop)",
        "  mkctl get pods -w",
    })
public final class GetCommand extends MkctlCommand {
  @Parameters(paramLabel = "TYPE[/NAME]", arity = "0..*", description = "TYPE [NAME...], or TYPE/NAME...")
  List<String> args = new ArrayList<>();

  @Option(names = {"-A", "--all-namespaces"}, description = "List the objects of every namespace.")
  boolean allNamespaces;

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR",
      description = "Label selector, such as app=web,tier in (a,b),!canary.")
  String selector = "";

  @Option(names = "--field-selector", paramLabel = "SELECTOR",
      description = "Field selector, such as metadata.name=web or spec.nodeName=node-1.")
  String fieldSelector = "";

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "wide, yaml, json or name.")
  String output;

  @Option(names = {"-w", "--watch"}, description = "After listing, watch for changes and print them.")
  boolean watch;

  @Option(names = "--watch-only", description = "Watch for changes without listing first.")
  boolean watchOnly;

  @Option(names = "--show-labels", description = "Show all labels as the last column.")
  boolean showLabels;

  @Option(names = "--no-headers", description = "Print tables without their header.")
  boolean noHeaders;

  @Option(names = "--chunk-size", paramLabel = "N", defaultValue = "500",
      description = "Return large lists in chunks rather than all at once. Pass 0 to disable (default ${DEFAULT-VALUE}).")
  long chunkSize;

  @Override
  protected int execute(MkctlContext ctx) {
    OutputFormat format = OutputFormat.parse(output);
    if (chunkSize < 0) {
      throw new MkctlException("--chunk-size must be 0 or more, not " + chunkSize);
    }
    if (args.isEmpty()) {
      throw new MkctlException("You must specify the type of resource to get. Use \"mkctl api-resources\" "
          + "for a complete list of supported resources.");
    }
    List<ResourceArgs.Target> targets = ResourceArgs.parse(args);
    boolean named = targets.stream().anyMatch(t -> !t.names().isEmpty());
    if (named && !selector.isEmpty()) {
      throw new MkctlException("name cannot be provided when a selector is specified");
    }
    if (named && allNamespaces) {
      throw new MkctlException("a resource cannot be retrieved by name across all namespaces");
    }
    if (watch || watchOnly) {
      return watch(ctx, targets, format);
    }
    boolean multipleTypes = targets.size() > 1;
    List<Message> all = new ArrayList<>();
    List<StatusRuntimeException> errors = new ArrayList<>();
    boolean printedTable = false;
    for (ResourceArgs.Target target : targets) {
      List<Message> found = fetch(ctx, target, errors);
      all.addAll(found);
      if (format.isTable() && !found.isEmpty()) {
        if (printedTable) {
          ctx.out().println();
        }
        tablePrinter(ctx, target.type(), format, multipleTypes).print(found, ctx.out());
        printedTable = true;
      }
    }
    switch (format) {
      case NAME -> all.forEach(m -> ctx.out().println(ObjectPrinter.name(m)));
      case YAML -> ctx.out().print(singleObject(targets, all) ? ObjectPrinter.yaml(all.get(0)) : ObjectPrinter.yamlList(all));
      case JSON -> ctx.out().print(singleObject(targets, all) ? ObjectPrinter.json(all.get(0)) : ObjectPrinter.jsonList(all));
      default -> { }
    }
    ctx.out().flush();
    if (all.isEmpty() && !named && errors.isEmpty() && (format.isTable() || format == OutputFormat.NAME)) {
      ctx.err().println(noResources(ctx, targets));
    }
    for (StatusRuntimeException e : errors) {
      ctx.error(e);
    }
    return errors.isEmpty() ? 0 : 1;
  }

  /** The objects of one target: the named ones (errors collected), or a list. */
  private List<Message> fetch(MkctlContext ctx, ResourceArgs.Target target, List<StatusRuntimeException> errors) {
    ResourceType type = target.type();
    String namespace = namespaceFor(ctx, type);
    if (target.names().isEmpty()) {
      List<Message> items = new ArrayList<>(ctx.cluster().list(type, namespace, selector, fieldSelector, chunkSize).items());
      items.sort(order(type));
      return items;
    }
    List<Message> found = new ArrayList<>();
    for (String name : target.names()) {
      try {
        found.add(ctx.cluster().get(type, MkctlContext.scoped(type, ctx.namespace()), name));
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
          throw e;
        }
        errors.add(e);
      }
    }
    return found;
  }

  /** The namespace to list in: none with -A or for cluster-scoped kinds. */
  private String namespaceFor(MkctlContext ctx, ResourceType type) {
    return allNamespaces ? "" : MkctlContext.scoped(type, ctx.namespace());
  }

  /** Objects by namespace and name; events by when they were last seen. */
  static Comparator<Message> order(ResourceType type) {
    Comparator<Message> byKey = Comparator.comparing((Message m) -> KubeObjects.meta(m).getNamespace())
        .thenComparing(m -> KubeObjects.meta(m).getName());
    if (type.equals(Resources.EVENTS)) {
      return Comparator.comparing((Message m) -> io.minik8s.client.printers.Age
              .parse(io.minik8s.client.printers.ClusterColumns.lastTimestamp((io.minik8s.api.Event) m))
              .orElse(java.time.Instant.EPOCH))
          .thenComparing(byKey);
    }
    return byKey;
  }

  private boolean singleObject(List<ResourceArgs.Target> targets, List<Message> all) {
    return targets.size() == 1 && targets.get(0).names().size() == 1 && all.size() == 1;
  }

  private TablePrinter tablePrinter(MkctlContext ctx, ResourceType type, OutputFormat format, boolean withKind) {
    return new TablePrinter(type, new TablePrinter.Options(format == OutputFormat.WIDE,
        allNamespaces && type.namespaced(), withKind, showLabels, noHeaders), ctx.clock());
  }

  private String noResources(MkctlContext ctx, List<ResourceArgs.Target> targets) {
    boolean namespaced = targets.stream().anyMatch(t -> t.type().namespaced());
    if (allNamespaces || !namespaced) {
      return "No resources found";
    }
    return "No resources found in " + ctx.namespace() + " namespace.";
  }

  // ------------------------------------------------------------------ watch

  private int watch(MkctlContext ctx, List<ResourceArgs.Target> targets, OutputFormat format) {
    if (targets.size() != 1) {
      throw new MkctlException("watch is only supported on individual resources and resource collections, "
          + "but " + targets.size() + " resource types were given");
    }
    ResourceArgs.Target target = targets.get(0);
    if (target.names().size() > 1) {
      throw new MkctlException("watch is only supported on individual resources and resource collections, "
          + "but " + target.names().size() + " resources were found");
    }
    ResourceType type = target.type();
    String namespace = target.names().isEmpty() ? namespaceFor(ctx, type) : MkctlContext.scoped(type, ctx.namespace());
    String fields = fieldSelector;
    if (!target.names().isEmpty()) {
      String byName = "metadata.name=" + target.names().get(0);
      fields = fields.isEmpty() ? byName : fields + "," + byName;
    }
    Cluster.ListResult initial = ctx.cluster().list(type, namespace, selector, fields, chunkSize);
    if (!target.names().isEmpty() && initial.items().isEmpty()) {
      throw Status.NOT_FOUND.withDescription(type.qualifiedResource() + " \"" + target.names().get(0) + "\" not found")
          .asRuntimeException();
    }
    List<Message> items = new ArrayList<>(initial.items());
    items.sort(order(type));
    TablePrinter table = tablePrinter(ctx, type, format, false);
    boolean[] first = {true};
    if (!watchOnly) {
      if (items.isEmpty()) {
        if (format.isTable() || format == OutputFormat.NAME) {
          ctx.err().println(noResources(ctx, List.of(target)));
          ctx.err().flush();
        }
      } else {
        for (Message m : items) {
          printOne(ctx.out(), m, format, table, first);
        }
      }
    }
    String resourceVersion = initial.resourceVersion();
    while (true) {
      String[] last = {resourceVersion};
      ctx.cluster().watch(WatchRequest.newBuilder()
          .setResource(type.resource()).setNamespace(namespace)
          .setLabelSelector(selector).setFieldSelector(fields)
          .setResourceVersion(resourceVersion).build(), (WatchEvent e) -> {
            if (!e.getResourceVersion().isEmpty()) {
              last[0] = e.getResourceVersion();
            }
            if (e.getType().equals("BOOKMARK") || !e.hasObject()) {
              return true;
            }
            Message m = KubeObjects.unwrap(e.getObject());
            ObjectMeta meta = KubeObjects.meta(m);
            if (!meta.getResourceVersion().isEmpty()) {
              last[0] = meta.getResourceVersion();
            }
            printOne(ctx.out(), m, format, table, first);
            return true;
          });
      // The server ended the stream (it does so from time to time): resume where it stopped,
      // without hammering a server that keeps closing it at once.
      if (last[0].equals(resourceVersion)) {
        sleepQuietly(1000);
      }
      resourceVersion = last[0];
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MkctlException("interrupted");
    }
  }

  private static void printOne(PrintWriter out, Message m, OutputFormat format, TablePrinter table, boolean[] first) {
    switch (format) {
      case TABLE, WIDE -> table.printRow(m, out);
      case NAME -> out.println(ObjectPrinter.name(m));
      case YAML -> {
        if (!first[0]) {
          out.println("---");
        }
        out.print(ObjectPrinter.yaml(m));
      }
      case JSON -> out.print(ObjectPrinter.json(m));
    }
    first[0] = false;
    out.flush();
  }
}
