package io.minik8s.controllermanager.controller;

import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.util.Optional;

/** ownerReferences helpers: who controls an object, and the reference a controller sets. */
public final class OwnerRefs {
  private OwnerRefs() {}

  public static Optional<OwnerReference> controllerOf(ObjectMeta meta) {
    return meta.getOwnerReferencesList().stream().filter(r -> r.hasController() && r.getController()).findFirst();
  }

  /** controller=true, blockOwnerDeletion=true: the owner manages it and foreground deletion waits for it. */
  public static OwnerReference controllerRef(Message owner) {
    ResourceType t = Resources.of(owner);
    ObjectMeta m = KubeObjects.meta(owner);
    return OwnerReference.newBuilder().setApiVersion(t.apiVersion()).setKind(t.kind())
        .setName(m.getName()).setUid(m.getUid()).setController(true).setBlockOwnerDeletion(true).build();
  }

  /** True if the object's controller is {@code owner} (same uid). */
  public static boolean isControlledBy(ObjectMeta meta, Message owner) {
    return controllerOf(meta).map(r -> r.getUid().equals(KubeObjects.meta(owner).getUid())).orElse(false);
  }

  public static ObjectMeta withoutOwner(ObjectMeta meta, String uid) {
    ObjectMeta.Builder b = meta.toBuilder().clearOwnerReferences();
    meta.getOwnerReferencesList().stream().filter(r -> !r.getUid().equals(uid)).forEach(b::addOwnerReferences);
    return b.build();
  }
}
