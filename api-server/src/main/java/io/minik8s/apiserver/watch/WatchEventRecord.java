package io.minik8s.apiserver.watch;

import com.google.protobuf.Message;
import io.minik8s.apiserver.registry.ObjectCodec;
import io.minik8s.apiserver.storage.Store;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;

/**
 * One change of one object, as the cache saw it: the object after the change (for a deletion,
 * its last state), the object before (null for a creation), and the etcd revision.
 */
record WatchEventRecord(String type, Message object, Message previous, long revision) {
  static final String ADDED = "ADDED";
  static final String MODIFIED = "MODIFIED";
  static final String DELETED = "DELETED";
  static final String BOOKMARK = "BOOKMARK";

  /**
   * The event for one etcd change. A deletion carries the object's last state with the
   * deletion's revision; {@code knownPrevious} stands in when etcd gave no previous value.
   * Null when a deletion has nothing to show.
   */
  static WatchEventRecord of(ResourceType type, Store.Change c, Message knownPrevious) {
    Message prev = c.prevValue() == null ? knownPrevious : ObjectCodec.decode(type, c.prevValue(), c.revision());
    if (c.type() == Store.Change.Type.DELETE) {
      if (prev == null) {
        return null;
      }
      Message last = KubeObjects.withMeta(prev, KubeObjects.meta(prev).toBuilder()
          .setResourceVersion(Long.toString(c.revision())).build());
      return new WatchEventRecord(DELETED, last, prev, c.revision());
    }
    Message obj = ObjectCodec.decode(type, c.value(), c.revision());
    return new WatchEventRecord(c.prevValue() == null ? ADDED : MODIFIED, obj, prev, c.revision());
  }
}
