package io.minik8s.apiserver.registry;

import com.google.protobuf.Message;
import io.minik8s.api.DeleteRequest;
import io.minik8s.api.DeleteResponse;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.apiserver.storage.Store;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Deletion as Kubernetes does it. An object with finalizers is not removed: it gets a
 * deletionTimestamp, and goes when the last finalizer is taken off. The propagation policy adds
 * the garbage collector's finalizer ({@code orphan} or {@code foregroundDeletion}). A pod that
 * runs on a node is deleted gracefully: it gets a deletionTimestamp and a grace period, and is
 * removed when its kubelet confirms the containers are gone (a delete with grace period 0).
 * A namespace also counts its spec finalizers (Kubernetes' pkg/registry/core/namespace/storage):
 * it turns Terminating, and the namespace controller empties it and takes off {@code kubernetes}.
 */
public final class Deleter {
  public static final String ORPHAN_FINALIZER = "orphan";
  public static final String FOREGROUND_FINALIZER = "foregroundDeletion";
  /**
   * The longest grace period a deletion records: the most seconds Go's time.Duration (int64
   * nanoseconds) can hold, which is all Kubernetes can express; longer ones are clamped to it.
   */
  public static final long MAX_GRACE_PERIOD_SECONDS = Long.MAX_VALUE / 1_000_000_000L;
  private static final Set<String> PROTECTED_NAMESPACES = Set.of("default", "kube-system", "kube-public", "kube-node-lease");

  private final Registry registry;
  private final Store store;

  public Deleter(Registry registry) {
    this.registry = registry;
    this.store = registry.store();
  }

  /** True when an object marked for deletion has nothing left holding it. */
  static boolean readyToRemove(Message obj) {
    ObjectMeta meta = KubeObjects.meta(obj);
    return !meta.getDeletionTimestamp().isEmpty()
        && meta.getFinalizersCount() == 0
        && !hasSpecFinalizers(obj)
        && (!meta.hasDeletionGracePeriodSeconds() || meta.getDeletionGracePeriodSeconds() == 0);
  }

  private static boolean hasSpecFinalizers(Message obj) {
    return obj instanceof Namespace ns && ns.getSpec().getFinalizersCount() > 0;
  }

  public DeleteResponse delete(DeleteRequest req) {
    ResourceType type = Resources.byResource(req.getResource())
        .orElseThrow(() -> ApiException.notFound(Resources.NAMESPACES, req.getResource()));
    String namespace = Registry.ns(type, req.getNamespace());
    if (type == Resources.NAMESPACES && PROTECTED_NAMESPACES.contains(req.getName())) {
      throw ApiException.forbidden("namespaces \"" + req.getName() + "\" is forbidden: this namespace may not be deleted");
    }
    String key = ObjectCodec.key(type, namespace, req.getName());
    for (int attempt = 0; ; attempt++) {
      Store.KeyValue current = store.get(key).orElseThrow(() -> ApiException.notFound(type, req.getName()));
      Message old = ObjectCodec.decode(type, current);
      checkPreconditions(type, req, KubeObjects.meta(old), current.modRevision());
      try {
        return deleteOnce(type, key, current, old, req);
      } catch (ApiException e) {
        if (e.code() != io.grpc.Status.Code.ABORTED || attempt >= 10 || !req.getPreconditionResourceVersion().isEmpty()) {
          throw e;
        }
      }
    }
  }

  private DeleteResponse deleteOnce(ResourceType type, String key, Store.KeyValue current, Message old, DeleteRequest req) {
    ObjectMeta meta = KubeObjects.meta(old);
    List<String> finalizers = new ArrayList<>(meta.getFinalizersList());
    switch (req.getPropagationPolicy()) {
      case "Orphan" -> addOnce(finalizers, ORPHAN_FINALIZER);
      case "Foreground" -> addOnce(finalizers, FOREGROUND_FINALIZER);
      case "", "Background" -> { }
      default -> throw ApiException.badRequest(
          "propagationPolicy: Unsupported value: \"" + req.getPropagationPolicy()
              + "\": supported values: \"Orphan\", \"Foreground\", \"Background\"");
    }
    long grace = gracePeriod(old, req);
    if (finalizers.isEmpty() && grace == 0 && !hasSpecFinalizers(old)) {
      if (store.delete(key, current.modRevision()) < 0) {
        throw ApiException.modified(type, meta.getName());
      }
      registry.onRemoved(old);
      return DeleteResponse.newBuilder().setObject(KubeObjects.wrap(old)).setRemoved(true).build();
    }
    // Marked, not removed: a deletionTimestamp (now + grace for a pod) that only moves earlier.
    ObjectMeta.Builder marked = meta.toBuilder().clearFinalizers().addAllFinalizers(finalizers);
    Instant deadline = Instant.now(registry.clock()).plusSeconds(grace).truncatedTo(ChronoUnit.SECONDS);
    boolean shorter = !meta.hasDeletionGracePeriodSeconds() || grace < meta.getDeletionGracePeriodSeconds();
    if (meta.getDeletionTimestamp().isEmpty() || shorter) {
      marked.setDeletionTimestamp(deadline.toString()).setDeletionGracePeriodSeconds(grace);
    }
    Message updated = KubeObjects.withMeta(old, marked.build());
    if (updated instanceof Namespace ns) {
      updated = ns.toBuilder().setStatus(ns.getStatus().toBuilder().setPhase("Terminating")).build();
    }
    updated = registry.commit(type, key, current, old, updated, false);
    boolean removed = readyToRemove(updated);
    return DeleteResponse.newBuilder().setObject(KubeObjects.wrap(updated)).setRemoved(removed).build();
  }

  /**
   * Only pods have a grace period. One that is not on a node, or has finished, or whose node does
   * not exist has no kubelet to confirm its end, and goes at once.
   */
  private long gracePeriod(Message obj, DeleteRequest req) {
    if (!(obj instanceof Pod pod)) {
      return 0;
    }
    String node = pod.getSpec().getNodeName();
    String phase = pod.getStatus().getPhase();
    if (node.isEmpty() || phase.equals("Succeeded") || phase.equals("Failed")
        || store.get(ObjectCodec.key(Resources.NODES, "", node)).isEmpty()) {
      return 0;
    }
    long grace;
    if (req.hasGracePeriodSeconds()) {
      grace = req.getGracePeriodSeconds();
    } else {
      grace = pod.getSpec().hasTerminationGracePeriodSeconds() ? pod.getSpec().getTerminationGracePeriodSeconds() : 30;
    }
    // Clamped so that now + grace is always a time (validation keeps the pod's own non-negative).
    return Math.clamp(grace, 0, MAX_GRACE_PERIOD_SECONDS);
  }

  private void checkPreconditions(ResourceType type, DeleteRequest req, ObjectMeta meta, long revision) {
    if (!req.getPreconditionUid().isEmpty() && !req.getPreconditionUid().equals(meta.getUid())) {
      throw ApiException.conflict(type, meta.getName(), "Precondition failed: UID in precondition: "
          + req.getPreconditionUid() + ", UID in object meta: " + meta.getUid());
    }
    if (!req.getPreconditionResourceVersion().isEmpty()
        && !req.getPreconditionResourceVersion().equals(Long.toString(revision))) {
      throw ApiException.conflict(type, meta.getName(), "Precondition failed: ResourceVersion in precondition: "
          + req.getPreconditionResourceVersion() + ", ResourceVersion in object meta: " + revision);
    }
  }

  private static void addOnce(List<String> list, String value) {
    if (!list.contains(value)) {
      list.add(value);
    }
  }
}
