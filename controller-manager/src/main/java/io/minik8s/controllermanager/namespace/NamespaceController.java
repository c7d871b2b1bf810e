package io.minik8s.controllermanager.namespace;

import com.google.protobuf.Message;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.controllermanager.controller.BaseController;
import io.minik8s.controllermanager.controller.ControllerClient;
import io.minik8s.controllermanager.controller.Errors;
import io.minik8s.controllermanager.controller.Lister;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties namespaces that are being deleted (Kubernetes' pkg/controller/namespace/
 * namespace_controller.go and deletion/namespaced_resources_deleter.go). For a namespace with a
 * deletionTimestamp it deletes every namespaced object in it, waits until they are all gone
 * (pods may take their grace period; objects with finalizers wait for them), then takes its
 * {@code kubernetes} finalizer off the namespace's spec, and the api-server removes the namespace
 * once no other finalizer holds it. New content is refused meanwhile by the api-server.
 */
public final class NamespaceController extends BaseController {
  private static final Logger log = LoggerFactory.getLogger(NamespaceController.class);
  public static final String FINALIZER = "kubernetes";

  private final Lister<Namespace> namespaces;
  private final ControllerClient client;
  private final Duration recheck;

  /** {@code recheck}: how soon to look again while content remains (Kubernetes estimates it from pods' grace). */
  public NamespaceController(Lister<Namespace> namespaces, ControllerClient client, Clock clock, Duration recheck) {
    super("namespace", clock);
    this.namespaces = namespaces;
    this.client = client;
    this.recheck = recheck;
  }

  public ResourceEventHandler<Namespace> namespaceHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Namespace ns) {
        enqueueIfTerminating(ns);
      }

      @Override
      public void onUpdate(Namespace old, Namespace ns) {
        enqueueIfTerminating(ns);
      }
    };
  }

  private void enqueueIfTerminating(Namespace ns) {
    if (!ns.getMetadata().getDeletionTimestamp().isEmpty()) {
      enqueue(ns.getMetadata().getName());
    }
  }

  @Override
  public void sync(String name) {
    Optional<Namespace> cached = namespaces.get("", name);
    if (cached.isEmpty() || cached.get().getMetadata().getDeletionTimestamp().isEmpty()
        || !cached.get().getSpec().getFinalizersList().contains(FINALIZER)) {
      return;
    }
    int remaining = deleteAllContent(name);
    if (remaining > 0) {
      enqueueAfter(name, recheck);
      return;
    }
    finalizeNamespace(name);
  }

  /** Deletes what is not being deleted yet; returns how many objects are still there. */
  private int deleteAllContent(String namespace) {
    int remaining = 0;
    for (ResourceType type : Resources.ALL) {
      if (!type.namespaced()) {
        continue;
      }
      for (Message obj : client.list(type, namespace)) {
        remaining++;
        ObjectMeta meta = KubeObjects.meta(obj);
        if (!meta.getDeletionTimestamp().isEmpty()) {
          continue;
        }
        try {
          client.delete(type, namespace, meta.getName(), "Background", meta.getUid());
        } catch (RuntimeException e) {
          if (!Errors.isNotFound(e) && !Errors.isConflict(e)) {
            throw e;
          }
        }
      }
    }
    return remaining;
  }

  /** Takes the {@code kubernetes} finalizer off, from a live read (the cache may be behind). */
  private void finalizeNamespace(String name) {
    Optional<Namespace> live = client.find(Resources.NAMESPACES, "", name);
    if (live.isEmpty() || !live.get().getSpec().getFinalizersList().contains(FINALIZER)) {
      return;
    }
    Namespace ns = live.get();
    Namespace.Builder b = ns.toBuilder();
    b.getSpecBuilder().clearFinalizers()
        .addAllFinalizers(ns.getSpec().getFinalizersList().stream().filter(f -> !f.equals(FINALIZER)).toList());
    client.update(b.build());
    log.info("namespace {} is empty: finalized", name);
  }
}
