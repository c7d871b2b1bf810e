package io.minik8s.controllermanager.controller;

import com.google.protobuf.Message;
import io.minik8s.client.api.ResourceType;
import java.util.List;
import java.util.Optional;

/**
 * The writes (and the few authoritative reads) a controller makes against the api-server. Reads
 * for decisions come from informer caches; this is the small interface tests fake.
 */
public interface ControllerClient {
  <T extends Message> T create(T obj);

  <T extends Message> T update(T obj);

  <T extends Message> T updateStatus(T obj);

  /** Deletes with a propagation policy ("" = background) and, if not empty, a uid precondition. */
  void delete(ResourceType type, String namespace, String name, String propagationPolicy, String preconditionUid);

  /** A live list of every object of a type in a namespace: for the namespace controller, which has no cache of every kind. */
  List<Message> list(ResourceType type, String namespace);

  /** A live read, bypassing caches: for checks a stale cache must not decide (does an owner exist?). */
  <T extends Message> Optional<T> find(ResourceType type, String namespace, String name);
}
