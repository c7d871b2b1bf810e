package io.minik8s.apiserver.watch;

import com.google.protobuf.Message;

/**
 * One change of one object, as the cache saw it: the object after the change (for a deletion,
 * its last state), the object before (null for a creation), and the etcd revision.
 */
record WatchEventRecord(String type, Message object, Message previous, long revision) {
  static final String ADDED = "ADDED";
  static final String MODIFIED = "MODIFIED";
  static final String DELETED = "DELETED";
  static final String BOOKMARK = "BOOKMARK";
}
