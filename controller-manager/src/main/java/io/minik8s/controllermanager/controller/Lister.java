package io.minik8s.controllermanager.controller;

import com.google.protobuf.Message;
import io.minik8s.client.informer.Indexer;
import java.util.List;
import java.util.Optional;

/** Read access to an informer's cache; controllers decide from it, tests hand in a fake. */
public interface Lister<T extends Message> {
  Optional<T> get(String namespace, String name);

  /** Every object in the namespace; "" means every namespace. */
  List<T> list(String namespace);

  /** Objects whose named index yields {@code value}. */
  List<T> byIndex(String index, String value);

  static <T extends Message> Lister<T> of(Indexer<T> indexer) {
    return new Lister<>() {
      @Override
      public Optional<T> get(String namespace, String name) {
        return indexer.get(namespace, name);
      }

      @Override
      public List<T> list(String namespace) {
        return namespace.isEmpty() ? indexer.list() : indexer.byIndex(Indexer.NAMESPACE_INDEX, namespace);
      }

      @Override
      public List<T> byIndex(String index, String value) {
        return indexer.byIndex(index, value);
      }
    };
  }
}
