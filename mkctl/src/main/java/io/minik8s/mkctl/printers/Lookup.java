package io.minik8s.mkctl.printers;

import com.google.protobuf.Message;
import io.minik8s.client.api.ResourceType;
import java.util.List;
import java.util.Optional;

/**
 * Read access to related objects for {@code describe} (a replica set's pods, a service's
 * endpoints, an object's events). Best effort: a lookup that fails yields nothing, so that the
 * description of the object itself still prints.
 */
public interface Lookup {
  List<Message> list(ResourceType type, String namespace, String labelSelector, String fieldSelector);

  Optional<Message> find(ResourceType type, String namespace, String name);

  /** A lookup that finds nothing, for describing objects on their own. */
  static Lookup none() {
    return new Lookup() {
      @Override
      public List<Message> list(ResourceType type, String namespace, String labelSelector, String fieldSelector) {
        return List.of();
      }

      @Override
      public Optional<Message> find(ResourceType type, String namespace, String name) {
        return Optional.empty();
      }
    };
  }
}
