package io.minik8s.controllermanager.testing;

import com.google.protobuf.Message;
import io.minik8s.controllermanager.controller.Recorder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps events as "Type Reason: message". */
public final class FakeRecorder implements Recorder {
  public final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public void event(Message about, String type, String reason, String message) {
    events.add(type + " " + reason + ": " + message);
  }
}
