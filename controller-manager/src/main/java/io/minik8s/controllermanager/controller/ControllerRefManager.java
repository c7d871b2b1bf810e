package io.minik8s.controllermanager.controller;

import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.labels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides which of the candidate objects an owner controls (Kubernetes' ControllerRefManager):
 * it keeps those it already controls and that still match, adopts orphans that match (sets its
 * controller reference with an update), and releases those it controls that stopped matching
 * (removes the reference). Objects controlled by someone else are never touched.
 *
 * <p>Mirrors Kubernetes' pkg/controller/controller_ref_manager.go.
 */
public final class ControllerRefManager {
  private final ControllerClient client;
  private final Recorder recorder;

  public ControllerRefManager(ControllerClient client, Recorder recorder) {
    this.client = client;
    this.recorder = recorder;
  }

  /** Claims with the owner's selector, plus an extra condition an object must meet (a StatefulSet's naming). */
  public <T extends Message> List<T> claim(Message owner, Selector selector, List<T> candidates, Predicate<T> extra) {
    ObjectMeta ownerMeta = KubeObjects.meta(owner);
    boolean ownerDeleting = !ownerMeta.getDeletionTimestamp().isEmpty();
    List<T> claimed = new ArrayList<>();
    for (T obj : candidates) {
      ObjectMeta meta = KubeObjects.meta(obj);
      boolean matches = selector.matches(meta.getLabelsMap()) && extra.test(obj);
      Optional<OwnerReference> ref = OwnerRefs.controllerOf(meta);
      if (ref.isPresent()) {
        if (!ref.get().getUid().equals(ownerMeta.getUid())) {
          continue;
        }
        if (matches) {
          claimed.add(obj);
        } else if (!ownerDeleting) {
          release(owner, obj);
        }
        continue;
      }
      if (matches && !ownerDeleting && meta.getDeletionTimestamp().isEmpty()) {
        T adopted = adopt(owner, obj);
        if (adopted != null) {
          claimed.add(adopted);
        }
      }
    }
    return claimed;
  }

  private <T extends Message> T adopt(Message owner, T obj) {
    ObjectMeta meta = KubeObjects.meta(obj);
    try {
      T updated = client.update(KubeObjects.withMeta(obj, meta.toBuilder().addOwnerReferences(OwnerRefs.controllerRef(owner)).build()));
      recorder.event(owner, Recorder.NORMAL, "Adopted", "Adopted " + KubeObjects.key(obj));
      return updated;
    } catch (RuntimeException e) {
      if (Errors.isNotFound(e)) {
        return null;
      }
      throw e;
    }
  }

  private void release(Message owner, Message obj) {
    ObjectMeta meta = KubeObjects.meta(obj);
    try {
      client.update(KubeObjects.withMeta(obj, OwnerRefs.withoutOwner(meta, KubeObjects.meta(owner).getUid())));
      recorder.event(owner, Recorder.NORMAL, "Released", "Released " + KubeObjects.key(obj));
    } catch (RuntimeException e) {
      if (!Errors.isNotFound(e)) {
        throw e;
      }
    }
  }
}
