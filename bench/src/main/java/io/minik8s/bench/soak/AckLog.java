package io.minik8s.bench.soak;

import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the soak's clients were told: every acknowledged create, update and delete (the object's
 * name, uid and resourceVersion, and a fingerprint of what the write set), and the writes whose
 * outcome is unknown because the call failed in a way that may have committed (a timeout, an
 * api-server killed mid-call). At the end each object's stored state in etcd must match its last
 * acknowledged write, or one of the writes in doubt after it: anything else is a lost write.
 */
final class AckLog {
  enum Op { PUT, DELETE }

  record Write(ResourceType type, String namespace, String name, Op op, String uid, String fingerprint, long revision,
      boolean acked) {}

  /** One object whose stored state contradicts what its client was told. */
  record Lost(String object, String expected, String stored) {}

  private final Map<String, List<Write>> byObject = new LinkedHashMap<>();
  private int acked;
  private int inDoubt;

  synchronized void acked(ResourceType type, Message obj, Op op, String fingerprint) {
    ObjectMeta m = KubeObjects.meta(obj);
    add(new Write(type, m.getNamespace(), m.getName(), op, m.getUid(), fingerprint,
        m.getResourceVersion().isEmpty() ? 0 : Long.parseLong(m.getResourceVersion()), true));
    acked++;
  }

  synchronized void inDoubt(ResourceType type, String namespace, String name, Op op, String uid, String fingerprint) {
    add(new Write(type, namespace, name, op, uid, fingerprint, 0, false));
    inDoubt++;
  }

  private void add(Write w) {
    byObject.computeIfAbsent(w.type().resource() + "/" + w.namespace() + "/" + w.name(), k -> new ArrayList<>()).add(w);
  }

  synchronized int ackedCount() {
    return acked;
  }

  synchronized int inDoubtCount() {
    return inDoubt;
  }

  synchronized int objectCount() {
    return byObject.size();
  }

  /** The acknowledged writes of one kind, oldest first (the watch check looks for each one). */
  synchronized List<Write> ackedWrites(ResourceType type) {
    return byObject.values().stream().flatMap(List::stream).filter(w -> w.acked() && w.type() == type).toList();
  }

  /**
   * Checks each object against its stored state; {@code stored} reads an object straight from
   * etcd (empty when absent), {@code fingerprint} computes what the soak's writes set on it.
   */
  List<Lost> verify(StoredObjects stored, Function<Message, String> fingerprint) {
    Map<String, List<Write>> copy;
    synchronized (this) {
      copy = new LinkedHashMap<>(byObject);
    }
    List<Lost> lost = new ArrayList<>();
    for (Map.Entry<String, List<Write>> e : copy.entrySet()) {
      List<Write> writes = e.getValue();
      int last = -1;
      for (int i = 0; i < writes.size(); i++) {
        if (writes.get(i).acked()) {
          last = i;
        }
      }
      if (last < 0) {
        continue; // nothing was acknowledged: any outcome is allowed
      }
      Write w = writes.get(last);
      Optional<Message> now = stored.read(w.type(), w.namespace(), w.name());
      boolean ok = writes.subList(last, writes.size()).stream().anyMatch(c -> matches(c, w.uid(), now, fingerprint));
      if (!ok) {
        lost.add(new Lost(e.getKey(), describe(w), now.map(o -> describe(o, fingerprint)).orElse("absent")));
      }
    }
    return lost;
  }

  private static boolean matches(Write w, String ackedUid, Optional<Message> now, Function<Message, String> fingerprint) {
    String uid = w.uid().isEmpty() ? ackedUid : w.uid();
    if (w.op() == Op.DELETE) {
      // gone, replaced by another object, or still terminating (a pod's grace period)
      return now.isEmpty() || !KubeObjects.meta(now.get()).getUid().equals(uid)
          || !KubeObjects.meta(now.get()).getDeletionTimestamp().isEmpty();
    }
    if (now.isEmpty()) {
      return false;
    }
    ObjectMeta m = KubeObjects.meta(now.get());
    return m.getUid().equals(uid) && Long.parseLong(m.getResourceVersion()) >= w.revision()
        && fingerprint.apply(now.get()).equals(w.fingerprint());
  }

  private static String describe(Write w) {
    return w.op() + " uid " + w.uid() + " rv " + w.revision() + (w.fingerprint().isEmpty() ? "" : " " + w.fingerprint());
  }

  private static String describe(Message o, Function<Message, String> fingerprint) {
    ObjectMeta m = KubeObjects.meta(o);
    return "uid " + m.getUid() + " rv " + m.getResourceVersion() + " " + fingerprint.apply(o)
        + (m.getDeletionTimestamp().isEmpty() ? "" : " deleting");
  }

  /** Reads one object as etcd has it now. */
  interface StoredObjects {
    Optional<Message> read(ResourceType type, String namespace, String name);
  }
}
