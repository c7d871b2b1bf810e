package io.minik8s.client.informer;

/** What an informer tells its listeners. Handlers should only enqueue keys: they run on the informer's thread. */
public interface ResourceEventHandler<T> {
  default void onAdd(T obj) {}

  default void onUpdate(T oldObj, T newObj) {}

  /** The object's last known state. */
  default void onDelete(T obj) {}
}
