package io.minik8s.client.api;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.minik8s.api.Object;
import io.minik8s.api.ObjectMeta;

/**
 * Generic access to any API object: wrap it in and out of the {@code Object} envelope, and read
 * or replace its metadata, spec and status without knowing its kind. Kubernetes does the same
 * with its {@code meta.Accessor}.
 */
public final class KubeObjects {
  private KubeObjects() {}

  public static Object wrap(Message message) {
    ResourceType type = Resources.of(message);
    return Object.newBuilder().setField(type.envelopeField(), message).build();
  }

  public static Message unwrap(Object envelope) {
    return (Message) envelope.getField(Resources.of(envelope).envelopeField());
  }

  @SuppressWarnings("unchecked")
  public static <T extends Message> T unwrap(Object envelope, Class<T> type) {
    return (T) unwrap(envelope);
  }

  public static ObjectMeta meta(Message message) {
    return (ObjectMeta) message.getField(field(message, "metadata"));
  }

  public static ObjectMeta meta(Object envelope) {
    return meta(unwrap(envelope));
  }

  @SuppressWarnings("unchecked")
  public static <T extends Message> T withMeta(T message, ObjectMeta meta) {
    return (T) message.toBuilder().setField(field(message, "metadata"), meta).build();
  }

  /** The named top-level section (spec, status), or null if the kind has none. */
  public static Message section(Message message, String name) {
    FieldDescriptor f = message.getDescriptorForType().findFieldByName(name);
    return f == null ? null : (Message) message.getField(f);
  }

  /** A copy with the named top-level section replaced by {@code from}'s; no-op if the kind has none. */
  @SuppressWarnings("unchecked")
  public static <T extends Message> T copySection(T message, Message from, String name) {
    FieldDescriptor f = message.getDescriptorForType().findFieldByName(name);
    if (f == null) {
      return message;
    }
    Message.Builder b = message.toBuilder();
    if (from.hasField(f)) {
      b.setField(f, from.getField(f));
    } else {
      b.clearField(f);
    }
    return (T) b.build();
  }

  /** A copy with apiVersion and kind filled in from the registry. */
  @SuppressWarnings("unchecked")
  public static <T extends Message> T withTypeMeta(T message) {
    ResourceType type = Resources.of(message);
    return (T) message.toBuilder()
        .setField(field(message, "api_version"), type.apiVersion())
        .setField(field(message, "kind"), type.kind())
        .build();
  }

  /** {@code namespace/name}, or {@code name} for cluster-scoped objects: the key of caches and queues. */
  public static String key(ObjectMeta meta) {
    return meta.getNamespace().isEmpty() ? meta.getName() : meta.getNamespace() + "/" + meta.getName();
  }

  public static String key(Message message) {
    return key(meta(message));
  }

  private static FieldDescriptor field(Message message, String name) {
    FieldDescriptor f = message.getDescriptorForType().findFieldByName(name);
    if (f == null) {
      throw new IllegalArgumentException(message.getDescriptorForType().getName() + " has no " + name);
    }
    return f;
  }
}
