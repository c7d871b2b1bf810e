package io.minik8s.client.printers;

import io.minik8s.api.Container;
import io.minik8s.api.LabelSelector;
import io.minik8s.client.labels.Selector;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Small formatting rules shared by the tables and {@code describe}. */
public final class Format {
  public static final String NONE = "<none>";

  private Format() {}

  /** The text, or {@code <none>} when it is empty. */
  public static String orNone(String s) {
    return s == null || s.isEmpty() ? NONE : s;
  }

  /** {@code app=web,tier=front}, keys sorted; {@code <none>} for no labels. */
  public static String labels(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return NONE;
    }
    return new TreeMap<>(labels).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /** A spec's selector in the string form ({@code app=web,tier in (a,b)}); {@code <none>} if empty. */
  public static String selector(LabelSelector s) {
    try {
      return orNone(Selector.from(s).toString());
    } catch (IllegalArgumentException e) {
      return "<error: " + e.getMessage() + ">";
    }
  }

  public static String containerNames(List<Container> containers) {
    return containers.stream().map(Container::getName).collect(Collectors.joining(","));
  }

  public static String images(List<Container> containers) {
    return containers.stream().map(Container::getImage).collect(Collectors.joining(","));
  }

  /** {@code 3 of 7}-style lists: the first {@code max} items, then {@code + N more...}. */
  public static String firstOf(List<String> items, int max) {
    if (items.isEmpty()) {
      return NONE;
    }
    if (items.size() <= max) {
      return String.join(",", items);
    }
    return String.join(",", items.subList(0, max)) + " + " + (items.size() - max) + " more...";
  }

  /** The short form of an access mode, as in kubectl's ACCESS MODES column. */
  public static String accessModes(List<String> modes) {
    return modes.stream().map(m -> switch (m) {
      case "ReadWriteOnce" -> "RWO";
      case "ReadOnlyMany" -> "ROX";
      case "ReadWriteMany" -> "RWX";
      case "ReadWriteOncePod" -> "RWOP";
      default -> m;
    }).distinct().collect(Collectors.joining(","));
  }

  /** The lower-case kind and group of an owner, as in {@code statefulset.apps/web}. */
  public static String ownerRef(String apiVersion, String kind, String name) {
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String k = kind.toLowerCase(java.util.Locale.ROOT);
    return (group.isEmpty() ? k : k + "." + group) + "/" + name;
  }
}
