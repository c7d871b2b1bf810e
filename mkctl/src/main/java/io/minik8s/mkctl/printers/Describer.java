package io.minik8s.mkctl.printers;

import com.google.protobuf.Message;
import java.time.Instant;
import java.time.ZoneId;

/** Writes the {@code describe} text of one kind of object. */
@FunctionalInterface
public interface Describer<T extends Message> {

  /** What a describer may use besides the object: related objects, and the time. */
  record Context(Lookup lookup, Instant now, ZoneId zone) {}

  void describe(T object, DescribeWriter w, Context ctx);
}
