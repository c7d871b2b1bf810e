package io.minik8s.apiserver.registry;

import com.google.protobuf.Message;
import io.minik8s.api.ListResponse;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.Service;
import io.minik8s.apiserver.admission.Defaulting;
import io.minik8s.apiserver.admission.FieldError;
import io.minik8s.apiserver.admission.PodSecurity;
import io.minik8s.apiserver.admission.Validation;
import io.minik8s.apiserver.storage.Store;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import io.minik8s.client.labels.FieldSelector;
import io.minik8s.client.labels.Selector;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The generic storage of every kind (Kubernetes' {@code genericregistry.Store}): create, get,
 * list, update and update-status with the semantics Kubernetes gives them — server-filled
 * metadata, defaulting, validation, compare-and-swap on resourceVersion, generation counting.
 * Deletion lives in {@link Deleter}, subresources in {@link Subresources}.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go.
 */
public final class Registry {
  private static final char[] NAME_SUFFIX_CHARS = "bcdfghjklmnpqrstvwxz2456789".toCharArray();

  private final Store store;
  private final Clock clock;
  private final ServiceAllocator services;
  private final Duration eventTtl;
  private final SecureRandom random = new SecureRandom();

  public Registry(Store store, Clock clock, ServiceAllocator services) {
    this(store, clock, services, Duration.ofHours(1));
  }

  /** {@code eventTtl}: how long Events are kept after their last write (Kubernetes' --event-ttl). */
  public Registry(Store store, Clock clock, ServiceAllocator services, Duration eventTtl) {
    this.store = store;
    this.clock = clock;
    this.services = services;
    this.eventTtl = eventTtl;
  }

  Store store() {
    return store;
  }

  Clock clock() {
    return clock;
  }

  String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  // ------------------------------------------------------------------ create

  public Message create(Message requested, boolean dryRun) {
    ResourceType type = Resources.of(requested);
    ObjectMeta.Builder meta = KubeObjects.meta(requested).toBuilder();
    if (type.namespaced()) {
      if (meta.getNamespace().isEmpty()) {
        meta.setNamespace("default");
      }
    } else {
      meta.clearNamespace();
    }
    if (meta.getName().isEmpty() && !meta.getGenerateName().isEmpty()) {
      meta.setName(meta.getGenerateName() + randomSuffix());
    }
    meta.setUid(UUID.randomUUID().toString())
        .setCreationTimestamp(now())
        .setGeneration(1)
        .clearResourceVersion()
        .clearDeletionTimestamp()
        .clearDeletionGracePeriodSeconds();
    Message obj = Strategies.prepareForCreate(KubeObjects.withMeta(requested, meta.build()));
    obj = KubeObjects.withTypeMeta(Defaulting.apply(obj));
    List<FieldError> errors = Validation.validateCreate(obj);
    if (!errors.isEmpty()) {
      throw ApiException.invalid(Validation.invalidMessage(obj, errors), errors);
    }
    if (type.namespaced()) {
      Namespace ns = requireNamespace(type, meta.getNamespace(), meta.getName());
      if (obj instanceof Pod pod) {
        admitPodSecurity(ns, pod);
      }
    }
    if (dryRun) {
      return obj;
    }
    String key = ObjectCodec.key(type, meta.getNamespace(), meta.getName());
    if (store.get(key).isPresent()) {
      throw ApiException.alreadyExists(type, meta.getName());
    }
    if (obj instanceof Service svc) {
      obj = services.allocate(svc);
    }
    long revision;
    try {
      revision = store.create(key, ObjectCodec.encode(obj), ttlSeconds(type));
    } catch (RuntimeException e) {
      // A timeout may hide a write that did commit: then the allocator repair takes back what
      // the stored Service holds. Giving back here is what keeps a failed create from leaking.
      onRemoved(obj);
      throw e;
    }
    if (revision < 0) {
      onRemoved(obj);
      throw ApiException.alreadyExists(type, meta.getName());
    }
    return withRevision(obj, revision);
  }

  /** Kubernetes' NamespaceLifecycle admission: content only in a namespace that exists and is not going. */
  private Namespace requireNamespace(ResourceType type, String namespace, String name) {
    Store.KeyValue kv = store.get(ObjectCodec.key(Resources.NAMESPACES, "", namespace))
        .orElseThrow(() -> ApiException.notFound(Resources.NAMESPACES, namespace));
    Namespace ns = (Namespace) ObjectCodec.decode(Resources.NAMESPACES, kv);
    if (!ns.getMetadata().getDeletionTimestamp().isEmpty()) {
      throw ApiException.forbidden(type.qualifiedResource() + " \"" + name + "\" is forbidden: unable to create new "
          + "content in namespace " + namespace + " because it is being terminated");
    }
    return ns;
  }

  /** Kubernetes' PodSecurity admission: a pod gets only what its namespace's level allows ({@link PodSecurity}). */
  private static void admitPodSecurity(Namespace ns, Pod pod) {
    String violation = PodSecurity.violation(ns, pod);
    if (violation != null) {
      throw ApiException.forbidden("pods \"" + pod.getMetadata().getName() + "\" is forbidden: " + violation);
    }
  }

  private String randomSuffix() {
    char[] out = new char[5];
    for (int i = 0; i < out.length; i++) {
      out[i] = NAME_SUFFIX_CHARS[random.nextInt(NAME_SUFFIX_CHARS.length)];
    }
    return new String(out);
  }

  // ------------------------------------------------------------------ read

  public Message get(ResourceType type, String namespace, String name) {
    return find(type, namespace, name).orElseThrow(() -> ApiException.notFound(type, name));
  }

  public Optional<Message> find(ResourceType type, String namespace, String name) {
    if (name == null || name.isEmpty()) {
      throw ApiException.badRequest("resource name may not be empty");
    }
    return store.get(ObjectCodec.key(type, ns(type, namespace), name)).map(kv -> ObjectCodec.decode(type, kv));
  }

  /** Lists straight from etcd (a quorum read), so a list always sees every write before it. */
  public ListResponse list(ResourceType type, String namespace, String labelSelector, String fieldSelector) {
    return list(type, namespace, labelSelector, fieldSelector, 0, "");
  }

  /** A list, or one page of it: at most {@code limit} objects (0: all), from a continue token (see {@link PagedList}). */
  public ListResponse list(ResourceType type, String namespace, String labelSelector, String fieldSelector,
                           long limit, String continueToken) {
    Selector labels = parseLabels(labelSelector);
    FieldSelector fields = parseFields(fieldSelector, type);
    return PagedList.read(store, type, ObjectCodec.prefix(type, namespace),
        obj -> labels.matches(KubeObjects.meta(obj).getLabelsMap()) && fields.matches(obj), limit, continueToken);
  }

  static Selector parseLabels(String text) {
    try {
      return Selector.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("unable to parse requirement: " + e.getMessage());
    }
  }

  static FieldSelector parseFields(String text, ResourceType type) {
    try {
      return FieldSelector.parse(text, type.kind());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  // ------------------------------------------------------------------ update

  public Message update(Message requested, boolean dryRun) {
    return write(requested, dryRun, false);
  }

  public Message updateStatus(Message requested) {
    return write(requested, false, true);
  }

  private Message write(Message requested, boolean dryRun, boolean statusOnly) {
    // An update without a resourceVersion is unconditional: a concurrent writer is no conflict for
    // it, so it is retried on the fresh object (Kubernetes' GuaranteedUpdate does the same).
    for (int attempt = 0; ; attempt++) {
      try {
        return writeOnce(requested, dryRun, statusOnly);
      } catch (ApiException e) {
        boolean unconditional = KubeObjects.meta(requested).getResourceVersion().isEmpty();
        if (!unconditional || e.code() != io.grpc.Status.Code.ABORTED || attempt >= 10) {
          throw e;
        }
      }
    }
  }

  private Message writeOnce(Message requested, boolean dryRun, boolean statusOnly) {
    ResourceType type = Resources.of(requested);
    ObjectMeta req = KubeObjects.meta(requested);
    String namespace = ns(type, req.getNamespace());
    String key = ObjectCodec.key(type, namespace, req.getName());
    Store.KeyValue current = store.get(key).orElseThrow(() -> ApiException.notFound(type, req.getName()));
    if (!req.getResourceVersion().isEmpty() && !req.getResourceVersion().equals(Long.toString(current.modRevision()))) {
      throw ApiException.modified(type, req.getName());
    }
    Message old = ObjectCodec.decode(type, current);
    Message withNs = KubeObjects.withMeta(requested, req.toBuilder().setNamespace(namespace).build());
    Message obj = statusOnly ? Strategies.prepareForStatusUpdate(withNs, old) : Strategies.prepareForUpdate(withNs, old);
    obj = KubeObjects.withTypeMeta(Defaulting.apply(obj));
    List<FieldError> errors = Validation.validateUpdate(obj, old);
    if (!errors.isEmpty()) {
      throw ApiException.invalid(Validation.invalidMessage(obj, errors), errors);
    }
    ServiceAllocator.Reallocation ports = null;
    if (!statusOnly && !dryRun && obj instanceof Service svc) {
      ports = services.reallocate(svc, (Service) old);
      obj = ports.service();
    }
    if (!statusOnly && Strategies.specChanged(obj, old)) {
      ObjectMeta m = KubeObjects.meta(obj);
      obj = KubeObjects.withMeta(obj, m.toBuilder().setGeneration(m.getGeneration() + 1).build());
    }
    if (ports == null) {
      return commit(type, key, current, old, obj, dryRun);
    }
    // New node ports go back if the write fails; old ones are freed only once it committed.
    Message written;
    try {
      written = commit(type, key, current, old, obj, dryRun);
    } catch (RuntimeException e) {
      ports.rollback();
      throw e;
    }
    ports.commit();
    return written;
  }

  /**
   * Writes obj over the stored value read as {@code current}. A write that changes nothing is not
   * made (the resourceVersion stays), and an object that is being deleted and has no finalizers
   * left is removed instead of written.
   */
  Message commit(ResourceType type, String key, Store.KeyValue current, Message old, Message obj, boolean dryRun) {
    Message comparableOld = KubeObjects.withMeta(old, KubeObjects.meta(old).toBuilder().clearResourceVersion().build());
    Message comparableNew = KubeObjects.withMeta(obj, KubeObjects.meta(obj).toBuilder().clearResourceVersion().build());
    if (comparableNew.equals(comparableOld) || dryRun) {
      return dryRun ? obj : old;
    }
    ObjectMeta meta = KubeObjects.meta(obj);
    if (Deleter.readyToRemove(obj)) {
      if (store.delete(key, current.modRevision()) < 0) {
        throw ApiException.modified(type, meta.getName());
      }
      onRemoved(old);
      return obj;
    }
    long revision = store.update(key, ObjectCodec.encode(obj), current.modRevision(), ttlSeconds(type));
    if (revision < 0) {
      throw ApiException.modified(type, meta.getName());
    }
    return withRevision(obj, revision);
  }

  /**
   * Reads, changes and writes an object, retrying when another writer got there first
   * (Kubernetes' GuaranteedUpdate in storage/etcd3/store.go). The change function sees the
   * freshest stored object; an error it raises (already bound, precondition failed) is final and
   * returned at once. Only a lost compare-and-swap, the stored object having moved underneath,
   * is worth another read.
   */
  Message guaranteedUpdate(ResourceType type, String namespace, String name, UnaryOperator<Message> change) {
    String key = ObjectCodec.key(type, ns(type, namespace), name);
    for (int attempt = 0; ; attempt++) {
      Store.KeyValue current = store.get(key).orElseThrow(() -> ApiException.notFound(type, name));
      Message old = ObjectCodec.decode(type, current);
      Message changed = change.apply(old);
      try {
        return commit(type, key, current, old, changed, false);
      } catch (ApiException e) {
        if (e.code() != io.grpc.Status.Code.ABORTED || attempt >= 10) {
          throw e;
        }
      }
    }
  }

  /** Gives back what a removed object held (a Service's ClusterIP and node ports). */
  void onRemoved(Message obj) {
    if (obj instanceof Service svc) {
      services.release(svc);
    }
  }

  /** Events expire (through an etcd lease) this long after their last write; nothing else does. */
  private long ttlSeconds(ResourceType type) {
    return type.equals(Resources.EVENTS) ? eventTtl.toSeconds() : 0;
  }

  static Message withRevision(Message obj, long revision) {
    return KubeObjects.withMeta(obj, KubeObjects.meta(obj).toBuilder().setResourceVersion(Long.toString(revision)).build());
  }

  static String ns(ResourceType type, String namespace) {
    if (!type.namespaced()) {
      return "";
    }
    return namespace == null || namespace.isEmpty() ? "default" : namespace;
  }
}
