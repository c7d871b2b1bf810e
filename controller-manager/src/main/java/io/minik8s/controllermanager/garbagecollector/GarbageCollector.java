package io.minik8s.controllermanager.garbagecollector;

import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.controllermanager.controller.BaseController;
import io.minik8s.controllermanager.controller.ControllerClient;
import io.minik8s.controllermanager.controller.Errors;
import io.minik8s.controllermanager.controller.Lister;
import io.minik8s.controllermanager.controller.OwnerRefs;
import io.minik8s.controllermanager.controller.Recorder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deletes what its owners no longer hold. The dependency graph is the informers' caches with an
 * index from owner uid to dependents. Three cases, as Kubernetes' garbage collector:
 * <ul>
 *   <li>background: an object all of whose owners are gone (checked live, not in a cache that may
 *       lag) is deleted; references to owners that are gone are dropped when others remain;
 *   <li>foreground: an owner carrying the {@code foregroundDeletion} finalizer has its dependents
 *       deleted (those blocking it in foreground too), and loses the finalizer once no dependent
 *       with blockOwnerDeletion is left;
 *   <li>orphan: an owner carrying the {@code orphan} finalizer has its reference removed from
 *       every dependent, then loses the finalizer.
 * </ul>
 * Keys are {@code resource|namespace/name}.
 *
 * <p>Mirrors Kubernetes' pkg/controller/garbagecollector/garbagecollector.go.
 */
public final class GarbageCollector extends BaseController {
  public static final String OWNER_UID_INDEX = "ownerUid";
  static final String ORPHAN = "orphan";
  static final String FOREGROUND = "foregroundDeletion";

  private final Map<ResourceType, Lister<? extends Message>> listers;
  private final ControllerClient client;
  private final Recorder recorder;

  public GarbageCollector(Map<ResourceType, Lister<? extends Message>> listers, ControllerClient client,
      Recorder recorder, Clock clock) {
    super("garbagecollector", clock);
    this.listers = listers;
    this.client = client;
    this.recorder = recorder;
  }

  /** The index function the informers of the watched kinds need. */
  public static List<String> ownerUids(Message obj) {
    return KubeObjects.meta(obj).getOwnerReferencesList().stream().map(OwnerReference::getUid).toList();
  }

  public static String key(ResourceType type, ObjectMeta meta) {
    return type.resource() + "|" + KubeObjects.key(meta);
  }

  public <T extends Message> ResourceEventHandler<T> handler(ResourceType type) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        enqueue(key(type, KubeObjects.meta(obj)));
      }

      @Override
      public void onUpdate(T old, T obj) {
        enqueue(key(type, KubeObjects.meta(obj)));
      }

      @Override
      public void onDelete(T obj) {
        ObjectMeta meta = KubeObjects.meta(obj);
        dependents(meta.getUid()).forEach(d -> enqueue(key(Resources.of(d), KubeObjects.meta(d))));
        for (OwnerReference ref : meta.getOwnerReferencesList()) {
          Resources.byKind(ref.getKind()).ifPresent(t ->
              enqueue(t.resource() + "|" + (t.namespaced() ? meta.getNamespace() + "/" : "") + ref.getName()));
        }
      }
    };
  }

  private List<Message> dependents(String uid) {
    List<Message> out = new ArrayList<>();
    listers.values().forEach(l -> out.addAll(l.byIndex(OWNER_UID_INDEX, uid)));
    return out;
  }

  @Override
  public void sync(String key) {
    int bar = key.indexOf('|');
    ResourceType type = Resources.requireResource(key.substring(0, bar));
    String rest = key.substring(bar + 1);
    int slash = rest.indexOf('/');
    String ns = slash < 0 ? "" : rest.substring(0, slash);
    String name = slash < 0 ? rest : rest.substring(slash + 1);
    Lister<? extends Message> lister = listers.get(type);
    if (lister == null) {
      return;
    }
    Optional<? extends Message> found = lister.get(ns, name);
    if (found.isEmpty()) {
      return;
    }
    Message obj = found.get();
    ObjectMeta meta = KubeObjects.meta(obj);
    if (!meta.getDeletionTimestamp().isEmpty() && meta.getFinalizersList().contains(ORPHAN)) {
      orphanDependents(obj);
      return;
    }
    if (!meta.getDeletionTimestamp().isEmpty() && meta.getFinalizersList().contains(FOREGROUND)) {
      deleteDependentsFirst(obj);
      return;
    }
    if (meta.getOwnerReferencesCount() > 0) {
      collectIfOwnersGone(type, obj);
    }
  }

  private void orphanDependents(Message owner) {
    String uid = KubeObjects.meta(owner).getUid();
    for (Message d : dependents(uid)) {
      try {
        client.update(KubeObjects.withMeta(d, OwnerRefs.withoutOwner(KubeObjects.meta(d), uid)));
      } catch (RuntimeException e) {
        if (!Errors.isNotFound(e)) {
          throw e;
        }
      }
    }
    removeFinalizer(owner, ORPHAN);
  }

  private void deleteDependentsFirst(Message owner) {
    String uid = KubeObjects.meta(owner).getUid();
    boolean blocked = false;
    for (Message d : dependents(uid)) {
      ObjectMeta dm = KubeObjects.meta(d);
      boolean blocking = dm.getOwnerReferencesList().stream()
          .anyMatch(r -> r.getUid().equals(uid) && r.hasBlockOwnerDeletion() && r.getBlockOwnerDeletion());
      blocked |= blocking;
      if (dm.getDeletionTimestamp().isEmpty()) {
        delete(Resources.of(d), dm, blocking ? "Foreground" : "Background");
      }
    }
    if (!blocked) {
      removeFinalizer(owner, FOREGROUND);
    }
  }

  private void collectIfOwnersGone(ResourceType type, Message obj) {
    ObjectMeta meta = KubeObjects.meta(obj);
    List<OwnerReference> dangling = new ArrayList<>();
    for (OwnerReference ref : meta.getOwnerReferencesList()) {
      if (!ownerExists(meta.getNamespace(), ref)) {
        dangling.add(ref);
      }
    }
    if (dangling.isEmpty()) {
      return;
    }
    if (dangling.size() == meta.getOwnerReferencesCount()) {
      if (meta.getDeletionTimestamp().isEmpty()) {
        delete(type, meta, "Background");
      }
      return;
    }
    ObjectMeta.Builder kept = meta.toBuilder().clearOwnerReferences();
    meta.getOwnerReferencesList().stream().filter(r -> !dangling.contains(r)).forEach(kept::addOwnerReferences);
    client.update(KubeObjects.withMeta(obj, kept.build()));
  }

  /**
   * An owner in the cache with the same uid exists (if it goes, its deletion event brings us
   * back). One absent from the cache is checked live: the informer of its kind may simply not
   * have seen a just-created owner yet, and collecting on a stale cache would delete live pods.
   */
  private boolean ownerExists(String namespace, OwnerReference ref) {
    Optional<ResourceType> type = Resources.byKind(ref.getKind());
    if (type.isEmpty()) {
      return true; // a kind we do not know: never collect on its account
    }
    String ns = type.get().namespaced() ? namespace : "";
    Lister<? extends Message> cached = listers.get(type.get());
    if (cached != null && cached.get(ns, ref.getName())
        .map(o -> KubeObjects.meta(o).getUid().equals(ref.getUid())).orElse(false)) {
      return true;
    }
    Optional<Message> owner = client.find(type.get(), ns, ref.getName());
    return owner.map(o -> KubeObjects.meta(o).getUid().equals(ref.getUid())).orElse(false);
  }

  private void delete(ResourceType type, ObjectMeta meta, String policy) {
    try {
      client.delete(type, meta.getNamespace(), meta.getName(), policy, meta.getUid());
      recorder.event(KubeObjects.withMeta(type.defaultInstance(), meta), Recorder.NORMAL, "GarbageCollected",
          "Deleted " + type.kind() + " " + meta.getName() + " (" + policy.toLowerCase(java.util.Locale.ROOT) + ")");
    } catch (RuntimeException e) {
      if (!Errors.isNotFound(e) && !Errors.isConflict(e)) {
        throw e;
      }
    }
  }

  private void removeFinalizer(Message owner, String finalizer) {
    ResourceType type = Resources.of(owner);
    ObjectMeta meta = KubeObjects.meta(owner);
    // Re-read live: the finalizer list may have changed since the cache saw it.
    Optional<Message> live = client.find(type, meta.getNamespace(), meta.getName());
    if (live.isEmpty() || !KubeObjects.meta(live.get()).getUid().equals(meta.getUid())) {
      return;
    }
    ObjectMeta lm = KubeObjects.meta(live.get());
    ObjectMeta.Builder b = lm.toBuilder().clearFinalizers();
    lm.getFinalizersList().stream().filter(f -> !f.equals(finalizer)).forEach(b::addFinalizers);
    client.update(KubeObjects.withMeta(live.get(), b.build()));
  }
}
