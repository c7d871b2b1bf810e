package io.minik8s.apiserver.rest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The PATCH content types on object trees: JSON merge patch (RFC 7386), which {@code kubectl
 * label}, {@code annotate} and {@code scale} send, and Kubernetes' strategic merge patch
 * (k8s.io/apimachinery/pkg/util/strategicpatch/patch.go), which client-side {@code kubectl apply}
 * sends. A strategic patch merges a list whose Kubernetes type declares a merge key element by
 * element (containers by name, ports by containerPort, ...) instead of replacing it, and obeys the
 * {@code $patch}, {@code $retainKeys}, {@code $setElementOrder/} and {@code $deleteFromPrimitiveList/}
 * directives.
 */
final class Patches {
  /**
   * The merge keys of the list fields of our kinds, by field name, as their Go types' patchMergeKey
   * tags declare them. {@code ports} is ambiguous by name alone: a container's ports merge on
   * containerPort, a Service's on port; {@link #mergeKey} tells them apart by their elements.
   */
  private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
      Map.entry("containers", "name"),
      Map.entry("initContainers", "name"),
      Map.entry("ephemeralContainers", "name"),
      Map.entry("env", "name"),
      Map.entry("volumes", "name"),
      Map.entry("volumeMounts", "mountPath"),
      Map.entry("volumeDevices", "devicePath"),
      Map.entry("imagePullSecrets", "name"),
      Map.entry("hostAliases", "ip"),
      Map.entry("conditions", "type"),
      Map.entry("ownerReferences", "uid"),
      Map.entry("addresses", "type"),
      Map.entry("ports", "containerPort"));
  /** Lists of scalars merged as sets (patchStrategy:"merge" without a key). */
  private static final Set<String> MERGED_SCALAR_LISTS = Set.of("finalizers");
  private static final String DIRECTIVE = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String SET_ORDER = "$setElementOrder/";
  private static final String DELETE_FROM = "$deleteFromPrimitiveList/";

  private Patches() {}

  /** RFC 7386: objects merge key by key, null removes, anything else (lists too) replaces. */
  @SuppressWarnings("unchecked")
  static Object mergePatch(Object target, Object patch) {
    if (!(patch instanceof Map<?, ?> patchMap)) {
      return patch;
    }
    Map<String, Object> out = target instanceof Map<?, ?> t ? new LinkedHashMap<>((Map<String, Object>) t) : new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : ((Map<String, Object>) patchMap).entrySet()) {
      if (e.getValue() == null) {
        out.remove(e.getKey());
      } else {
        out.put(e.getKey(), mergePatch(out.get(e.getKey()), e.getValue()));
      }
    }
    return out;
  }

  /** Applies a strategic merge patch to an object's tree. */
  static Map<String, Object> strategicMerge(Map<String, Object> target, Map<String, Object> patch) {
    return mergeMap(target, patch);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mergeMap(Map<String, Object> target, Map<String, Object> patch) {
    Object directive = patch.get(DIRECTIVE);
    if ("replace".equals(directive)) {
      Map<String, Object> replaced = new LinkedHashMap<>(patch);
      replaced.remove(DIRECTIVE);
      return stripDirectives(replaced);
    }
    if (directive != null && !"merge".equals(directive)) {
      throw new RestException(KubeStatus.badRequest("unknown patch type: \"" + directive + "\" in $patch"));
    }
    Map<String, Object> out = target == null ? new LinkedHashMap<>() : new LinkedHashMap<>(target);
    if (patch.get(RETAIN_KEYS) instanceof List<?> retain) {
      out.keySet().removeIf(k -> !retain.contains(k) && !patch.containsKey(k));
    }
    for (Map.Entry<String, Object> e : patch.entrySet()) {
      String key = e.getKey();
      Object value = e.getValue();
      if (key.equals(DIRECTIVE) || key.equals(RETAIN_KEYS) || key.startsWith(SET_ORDER)) {
        continue; // the element order is advisory; our lists keep the order they merge in
      }
      if (key.startsWith(DELETE_FROM)) {
        String field = key.substring(DELETE_FROM.length());
        if (out.get(field) instanceof List<?> list && value instanceof List<?> gone) {
          List<Object> kept = new ArrayList<>(list);
          kept.removeAll(gone);
          out.put(field, kept);
        }
        continue;
      }
      if (value == null) {
        out.remove(key);
      } else if (value instanceof Map<?, ?> m) {
        Map<String, Object> sub = (Map<String, Object>) m;
        if ("delete".equals(sub.get(DIRECTIVE))) {
          out.remove(key);
        } else {
          Object current = out.get(key);
          out.put(key, mergeMap(current instanceof Map<?, ?> c ? (Map<String, Object>) c : null, sub));
        }
      } else if (value instanceof List<?> list) {
        out.put(key, mergeList(key, out.get(key), (List<Object>) list));
      } else {
        out.put(key, value);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> mergeList(String field, Object current, List<Object> patch) {
    List<Object> target = current instanceof List<?> l ? new ArrayList<>((List<Object>) l) : new ArrayList<>();
    if (MERGED_SCALAR_LISTS.contains(field)) {
      for (Object v : patch) {
        if (!target.contains(v)) {
          target.add(v);
        }
      }
      return target;
    }
    String key = mergeKey(field, target, patch);
    if (key == null) {
      return stripDirectivesList(patch);
    }
    for (Object element : patch) {
      if (!(element instanceof Map<?, ?> em)) {
        throw new RestException(KubeStatus.badRequest("strategic merge patch: " + field
            + " must be a list of objects (merged by " + key + ")"));
      }
      Map<String, Object> patchElement = (Map<String, Object>) em;
      if ("replace".equals(patchElement.get(DIRECTIVE)) && patchElement.size() == 1) {
        return new ArrayList<>(); // {"$patch":"replace"} alone: the list is replaced by the rest of the patch
      }
      Object id = patchElement.get(key);
      int at = indexOf(target, key, id);
      if ("delete".equals(patchElement.get(DIRECTIVE))) {
        if (at >= 0) {
          target.remove(at);
        }
      } else if (at >= 0) {
        target.set(at, mergeMap((Map<String, Object>) target.get(at), patchElement));
      } else {
        target.add(stripDirectives(new LinkedHashMap<>(patchElement)));
      }
    }
    return target;
  }

  /** The merge key of a list: by field name; a container's ports and a Service's told apart by their elements. */
  @SuppressWarnings("unchecked")
  private static String mergeKey(String field, List<Object> target, List<Object> patch) {
    String key = MERGE_KEYS.get(field);
    if (!"ports".equals(field)) {
      return key;
    }
    for (Iterator<Object> it = concat(target, patch); it.hasNext(); ) {
      if (it.next() instanceof Map<?, ?> m) {
        if (m.containsKey("containerPort")) {
          return "containerPort";
        }
        if (m.containsKey("port")) {
          return "port";
        }
      }
    }
    return key;
  }

  private static Iterator<Object> concat(List<Object> a, List<Object> b) {
    List<Object> all = new ArrayList<>(a);
    all.addAll(b);
    return all.iterator();
  }

  private static int indexOf(List<Object> list, String key, Object id) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof Map<?, ?> m && Objects.equals(number(m.get(key)), number(id))) {
        return i;
      }
    }
    return -1;
  }

  /** 80 and 80L are the same port. */
  private static Object number(Object v) {
    return v instanceof Number n ? (Object) n.longValue() : v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> stripDirectives(Map<String, Object> tree) {
    Map<String, Object> out = new LinkedHashMap<>();
    tree.forEach((k, v) -> {
      if (k.startsWith("$")) {
        return;
      }
      if (v instanceof Map<?, ?> m) {
        out.put(k, stripDirectives((Map<String, Object>) m));
      } else if (v instanceof List<?> l) {
        out.put(k, stripDirectivesList((List<Object>) l));
      } else {
        out.put(k, v);
      }
    });
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> stripDirectivesList(List<Object> list) {
    List<Object> out = new ArrayList<>();
    for (Object v : list) {
      out.add(v instanceof Map<?, ?> m ? stripDirectives((Map<String, Object>) m) : v);
    }
    return out;
  }
}
