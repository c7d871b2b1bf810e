package io.minik8s.client.informer;

import com.google.protobuf.Message;
import io.minik8s.client.api.KubeObjects;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The informer's local cache: objects by {@code namespace/name} key, plus named indexes (pods by
 * node, pods by owner uid, ...) kept up to date on every change. Thread-safe; readers get
 * immutable protobuf messages, so nothing they do can corrupt the cache.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/client-go/tools/cache/thread_safe_store.go.
 */
public final class Indexer<T extends Message> {
  /** Indexes every object by its namespace. */
  public static final String NAMESPACE_INDEX = "namespace";

  private final Map<String, T> items = new HashMap<>();
  private final Map<String, Function<T, List<String>>> indexFuncs = new HashMap<>();
  private final Map<String, Map<String, Set<String>>> indices = new HashMap<>();

  public Indexer() {
    addIndex(NAMESPACE_INDEX, o -> List.of(KubeObjects.meta(o).getNamespace()));
  }

  public synchronized void addIndex(String name, Function<T, List<String>> func) {
    indexFuncs.put(name, func);
    Map<String, Set<String>> index = new HashMap<>();
    indices.put(name, index);
    items.forEach((key, obj) -> addToIndex(index, func, key, obj));
  }

  synchronized T put(T obj) {
    String key = KubeObjects.key(obj);
    T old = items.put(key, obj);
    if (old != null) {
      removeFromIndices(key, old);
    }
    indexFuncs.forEach((name, f) -> addToIndex(indices.get(name), f, key, obj));
    return old;
  }

  synchronized T remove(String key) {
    T old = items.remove(key);
    if (old != null) {
      removeFromIndices(key, old);
    }
    return old;
  }

  public synchronized Optional<T> get(String key) {
    return Optional.ofNullable(items.get(key));
  }

  public synchronized Optional<T> get(String namespace, String name) {
    return get(namespace == null || namespace.isEmpty() ? name : namespace + "/" + name);
  }

  public synchronized List<T> list() {
    return new ArrayList<>(items.values());
  }

  public synchronized List<String> keys() {
    return new ArrayList<>(items.keySet());
  }

  /** Every object whose index function gave {@code value} for index {@code name}. */
  public synchronized List<T> byIndex(String name, String value) {
    Map<String, Set<String>> index = indices.get(name);
    if (index == null) {
      throw new IllegalArgumentException("no index named " + name);
    }
    List<T> out = new ArrayList<>();
    for (String key : index.getOrDefault(value, Set.of())) {
      out.add(items.get(key));
    }
    return out;
  }

  public synchronized int size() {
    return items.size();
  }

  private void removeFromIndices(String key, T obj) {
    indexFuncs.forEach((name, f) -> {
      Map<String, Set<String>> index = indices.get(name);
      for (String v : f.apply(obj)) {
        Set<String> keys = index.get(v);
        if (keys != null) {
          keys.remove(key);
          if (keys.isEmpty()) {
            index.remove(v);
          }
        }
      }
    });
  }

  private void addToIndex(Map<String, Set<String>> index, Function<T, List<String>> f, String key, T obj) {
    for (String v : f.apply(obj)) {
      index.computeIfAbsent(v, x -> new HashSet<>()).add(key);
    }
  }
}
