package io.minik8s.mkctl;

import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import io.minik8s.mkctl.printers.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mkctl api-resources}: the kinds the API serves. */
@Command(
    name = "api-resources",
    description = {
        "Print the supported API resources on the server.",
        "",
        "Lists every kind with the names mkctl accepts for it (plural and short names), its API version and "
            + "whether it lives in a namespace.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  # All resources",
        "  mkctl api-resources",
        "",
        "  # Only the namespaced ones, by name",
        "  mkctl api-resources --namespaced=true -o name",
    })
public final class ApiResourcesCommand extends MkctlCommand {
  @Option(names = "--namespaced", paramLabel = "true|false", description = "Only namespaced (true) or cluster-scoped (false) kinds.")
  Boolean namespaced;

  @Option(names = {"-o", "--output"}, paramLabel = "name", description = "'name' prints only the resource names.")
  String output;

  @Option(names = "--no-headers", description = "Print the table without its header.")
  boolean noHeaders;

  @Override
  protected int execute(MkctlContext ctx) {
    if (output != null && !output.equals("name")) {
      throw new MkctlException("--output " + output + " is not available");
    }
    List<ResourceType> types = new ArrayList<>(Resources.ALL);
    types.removeIf(t -> namespaced != null && t.namespaced() != namespaced);
    types.sort(Comparator.comparing((ResourceType t) -> !t.group().isEmpty())
        .thenComparing(ResourceType::group).thenComparing(ResourceType::resource));
    if (output != null) {
      types.forEach(t -> ctx.out().println(t.qualifiedResource()));
      return 0;
    }
    Table table = new Table(noHeaders ? null : List.of("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"));
    for (ResourceType t : types) {
      table.addRow(List.of(t.resource(), String.join(",", t.shortNames()), t.apiVersion(),
          Boolean.toString(t.namespaced()), t.kind()));
    }
    table.print(ctx.out());
    return 0;
  }
}
