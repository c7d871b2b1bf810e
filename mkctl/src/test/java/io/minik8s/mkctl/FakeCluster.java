package io.minik8s.mkctl;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.Status;
import io.minik8s.api.DeleteRequest;
import io.minik8s.api.DeleteResponse;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Scale;
import io.minik8s.api.WatchEvent;
import io.minik8s.api.WatchRequest;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import io.minik8s.client.labels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * An in-memory api-server for unit tests: objects by resource, namespace and name, a
 * resourceVersion counter with compare-and-swap on update, and errors worded like the
 * api-server's. Every call is recorded.
 */
final class FakeCluster implements Cluster {
  static final String CREATED_AT = "2024-05-01T10:00:00Z";

  private final Map<String, Message> objects = new TreeMap<>();
  final List<String> calls = new ArrayList<>();
  final List<DeleteRequest> deletes = new ArrayList<>();
  /** The objects sent to update, as sent. */
  final List<Message> updates = new ArrayList<>();
  /** Runs at the start of every update: lets a test change the object concurrently. */
  Runnable beforeUpdate = () -> { };
  private long revision = 100;
  private int uids;

  @Override
  public String servers() {
    return "fake:6443";
  }

  /** Stores an object as it is (for setting up a test), with a resourceVersion if it has none. */
  <T extends Message> T put(T object) {
    ObjectMeta meta = KubeObjects.meta(object);
    ObjectMeta.Builder b = meta.toBuilder();
    if (meta.getResourceVersion().isEmpty()) {
      b.setResourceVersion(Long.toString(++revision));
    }
    if (meta.getUid().isEmpty()) {
      b.setUid("uid-" + (++uids));
    }
    T stored = KubeObjects.withMeta(object, b.build());
    objects.put(key(Resources.of(object), meta.getNamespace(), meta.getName()), stored);
    return stored;
  }

  Message stored(ResourceType type, String namespace, String name) {
    return objects.get(key(type, namespace, name));
  }

  int size() {
    return objects.size();
  }

  private static String key(ResourceType type, String namespace, String name) {
    return type.resource() + "/" + (type.namespaced() ? namespace : "") + "/" + name;
  }

  @Override
  public Message get(ResourceType type, String namespace, String name) {
    calls.add("get " + type.resource() + " " + namespace + "/" + name);
    Message m = objects.get(key(type, namespace, name));
    if (m == null) {
      throw Status.NOT_FOUND.withDescription(type.qualifiedResource() + " \"" + name + "\" not found").asRuntimeException();
    }
    return m;
  }

  @Override
  public ListResult list(ResourceType type, String namespace, String labelSelector, String fieldSelector) {
    calls.add("list " + type.resource() + " " + namespace);
    Selector selector = Selector.parse(labelSelector);
    List<Message> out = new ArrayList<>();
    for (Message m : objects.values()) {
      ObjectMeta meta = KubeObjects.meta(m);
      if (Resources.of(m).equals(type) && (namespace.isEmpty() || meta.getNamespace().equals(namespace))
          && selector.matches(meta.getLabelsMap())) {
        out.add(m);
      }
    }
    return new ListResult(out, Long.toString(revision));
  }

  @Override
  public Message create(Message object) {
    ResourceType type = Resources.of(object);
    ObjectMeta meta = KubeObjects.meta(object);
    calls.add("create " + type.resource() + " " + meta.getNamespace() + "/" + meta.getName());
    if (objects.containsKey(key(type, meta.getNamespace(), meta.getName()))) {
      throw Status.ALREADY_EXISTS.withDescription(type.qualifiedResource() + " \"" + meta.getName() + "\" already exists")
          .asRuntimeException();
    }
    if (!meta.getResourceVersion().isEmpty()) {
      throw Status.INVALID_ARGUMENT.withDescription("resourceVersion should not be set on objects to be created")
          .asRuntimeException();
    }
    return put(KubeObjects.withMeta(object, meta.toBuilder().setCreationTimestamp(CREATED_AT).setGeneration(1).build()));
  }

  @Override
  public Message update(Message object) {
    ResourceType type = Resources.of(object);
    ObjectMeta meta = KubeObjects.meta(object);
    calls.add("update " + type.resource() + " " + meta.getNamespace() + "/" + meta.getName());
    updates.add(object);
    beforeUpdate.run();
    Message live = get(type, meta.getNamespace(), meta.getName());
    ObjectMeta liveMeta = KubeObjects.meta(live);
    if (!meta.getResourceVersion().isEmpty() && !meta.getResourceVersion().equals(liveMeta.getResourceVersion())) {
      throw Status.ABORTED.withDescription("Operation cannot be fulfilled on " + type.qualifiedResource() + " \""
          + meta.getName() + "\": the object has been modified; please apply your changes to the latest version and try again")
          .asRuntimeException();
    }
    // As the api-server: status is written only through update-status.
    Message next = object;
    FieldDescriptor status = object.getDescriptorForType().findFieldByName("status");
    if (status != null) {
      next = next.toBuilder().setField(status, live.getField(status)).build();
    }
    return put(KubeObjects.withMeta(next, meta.toBuilder().setResourceVersion(Long.toString(++revision)).build()));
  }

  @Override
  public DeleteResponse delete(DeleteRequest request) {
    ResourceType type = Resources.byResource(request.getResource()).orElseThrow();
    calls.add("delete " + type.resource() + " " + request.getNamespace() + "/" + request.getName());
    deletes.add(request);
    Message m = get(type, request.getNamespace(), request.getName());
    objects.remove(key(type, request.getNamespace(), request.getName()));
    return DeleteResponse.newBuilder().setObject(KubeObjects.wrap(m)).setRemoved(true).build();
  }

  @Override
  public Scale getScale(ResourceType type, String namespace, String name) {
    Message m = get(type, namespace, name);
    FieldDescriptor spec = m.getDescriptorForType().findFieldByName("spec");
    Message s = (Message) m.getField(spec);
    int replicas = (Integer) s.getField(s.getDescriptorForType().findFieldByName("replicas"));
    return Scale.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName(name).setNamespace(namespace)
            .setResourceVersion(KubeObjects.meta(m).getResourceVersion()))
        .setSpec(io.minik8s.api.ScaleSpec.newBuilder().setReplicas(replicas))
        .build();
  }

  @Override
  public Scale updateScale(ResourceType type, Scale scale) {
    calls.add("scale " + type.resource() + " " + scale.getMetadata().getNamespace() + "/" + scale.getMetadata().getName()
        + " " + scale.getSpec().getReplicas());
    Message m = get(type, scale.getMetadata().getNamespace(), scale.getMetadata().getName());
    FieldDescriptor specField = m.getDescriptorForType().findFieldByName("spec");
    Message spec = (Message) m.getField(specField);
    Message newSpec = spec.toBuilder()
        .setField(spec.getDescriptorForType().findFieldByName("replicas"), scale.getSpec().getReplicas()).build();
    put(KubeObjects.withMeta(m.toBuilder().setField(specField, newSpec).build(),
        KubeObjects.meta(m).toBuilder().setResourceVersion(Long.toString(++revision)).build()));
    return scale;
  }

  /** What the next watch delivers, before it fails as an expired watch does (which ends mkctl's watch). */
  final List<WatchEvent> watchEvents = new ArrayList<>();
  final List<WatchRequest> watches = new ArrayList<>();

  @Override
  public void watch(WatchRequest request, Predicate<WatchEvent> onEvent) {
    watches.add(request);
    for (WatchEvent e : watchEvents) {
      if (!onEvent.test(e)) {
        return;
      }
    }
    throw Status.OUT_OF_RANGE.withDescription("too old resource version").asRuntimeException();
  }
}
