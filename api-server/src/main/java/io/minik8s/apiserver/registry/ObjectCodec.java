package io.minik8s.apiserver.registry;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.apiserver.storage.Store;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;

/**
 * Objects as stored in etcd: protobuf bytes without resourceVersion, which is not part of the
 * value but the key's modification revision, filled in on every read (as Kubernetes does).
 */
public final class ObjectCodec {
  private ObjectCodec() {}

  public static byte[] encode(Message obj) {
    ObjectMeta meta = KubeObjects.meta(obj).toBuilder().clearResourceVersion().build();
    return KubeObjects.withMeta(obj, meta).toByteArray();
  }

  public static Message decode(ResourceType type, byte[] value, long revision) {
    try {
      Message obj = type.newBuilder().mergeFrom(value).build();
      ObjectMeta meta = KubeObjects.meta(obj).toBuilder().setResourceVersion(Long.toString(revision)).build();
      return KubeObjects.withTypeMeta(KubeObjects.withMeta(obj, meta));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt " + type.resource() + " value in etcd", e);
    }
  }

  public static Message decode(ResourceType type, Store.KeyValue kv) {
    return decode(type, kv.value(), kv.modRevision());
  }

  /** {@code /registry/apps/deployments/default/web}, {@code /registry/core/nodes/node-1}. */
  public static String key(ResourceType type, String namespace, String name) {
    return type.namespaced() ? type.keyPrefix() + namespace + "/" + name : type.keyPrefix() + name;
  }

  /** The prefix of every key of a type in a namespace, or of every key of the type. */
  public static String prefix(ResourceType type, String namespace) {
    return type.namespaced() && namespace != null && !namespace.isEmpty()
        ? type.keyPrefix() + namespace + "/"
        : type.keyPrefix();
  }
}
