package io.minik8s.mkctl;

import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resource arguments of get, describe, delete and scale, in kubectl's two forms:
 * {@code TYPE[,TYPE...] [NAME...]} ({@code pods}, {@code deploy,rs}, {@code po web-0 web-1}) and
 * {@code TYPE/NAME...} ({@code pod/web-0 svc/web}). Types are any name the registry knows (kind,
 * plural, short name, {@code deployment.apps}); {@code all} stands for the common workload kinds.
 */
public final class ResourceArgs {
  /** The kinds {@code all} expands to, as {@code kubectl get all}. */
  public static final List<ResourceType> ALL = List.of(
      Resources.PODS, Resources.SERVICES, Resources.DEPLOYMENTS, Resources.REPLICA_SETS, Resources.STATEFUL_SETS);

  /** One kind and the names asked for (none: every object of the kind). */
  public record Target(ResourceType type, List<String> names) {}

  private ResourceArgs() {}

  /** Parses the arguments; throws {@link MkctlException} for an unknown type or a mix of the two forms. */
  public static List<Target> parse(List<String> args) {
    if (args.isEmpty()) {
      return List.of();
    }
    boolean slashForm = args.get(0).contains("/");
    if (slashForm) {
      Map<ResourceType, List<String>> byType = new LinkedHashMap<>();
      for (String a : args) {
        int slash = a.indexOf('/');
        if (slash < 0) {
          throw mixedForms();
        }
        if (slash == 0 || slash == a.length() - 1 || a.indexOf('/', slash + 1) >= 0) {
          throw new MkctlException("arguments in resource/name form must have a single resource and name");
        }
        ResourceType type = type(a.substring(0, slash));
        byType.computeIfAbsent(type, t -> new ArrayList<>()).add(a.substring(slash + 1));
      }
      List<Target> out = new ArrayList<>();
      byType.forEach((t, names) -> out.add(new Target(t, List.copyOf(names))));
      return out;
    }
    List<String> names = args.subList(1, args.size());
    for (String n : names) {
      if (n.contains("/")) {
        throw mixedForms();
      }
    }
    List<Target> out = new ArrayList<>();
    for (ResourceType t : types(args.get(0))) {
      out.add(new Target(t, List.copyOf(names)));
    }
    return out;
  }

  private static MkctlException mixedForms() {
    return new MkctlException("there is no need to specify a resource type as a separate argument when passing "
        + "arguments in resource/name form (e.g. 'mkctl get resource/<resource_name>' instead of "
        + "'mkctl get resource resource/<resource_name>')");
  }

  /** The kinds of a comma-separated type list ({@code deploy,rs}, {@code all}), without repeats. */
  public static List<ResourceType> types(String list) {
    List<ResourceType> out = new ArrayList<>();
    for (String part : list.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      List<ResourceType> some = part.trim().equalsIgnoreCase("all") ? ALL : List.of(type(part.trim()));
      for (ResourceType t : some) {
        if (!out.contains(t)) {
          out.add(t);
        }
      }
    }
    if (out.isEmpty()) {
      throw new MkctlException("the server doesn't have a resource type \"" + list + "\"");
    }
    return out;
  }

  /** One kind by any of its names; {@link MkctlException} as kubectl words it when unknown. */
  public static ResourceType type(String name) {
    return Resources.lookup(name.trim())
        .orElseThrow(() -> new MkctlException("the server doesn't have a resource type \"" + name.trim() + "\""));
  }
}
