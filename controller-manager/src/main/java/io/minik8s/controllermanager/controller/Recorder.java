package io.minik8s.controllermanager.controller;

import com.google.protobuf.Message;
import io.minik8s.client.events.EventRecorder;

/** Where controllers report what they did, as Events (client-go's record.EventRecorder). */
public interface Recorder {
  String NORMAL = "Normal";
  String WARNING = "Warning";

  void event(Message about, String type, String reason, String message);

  static Recorder of(EventRecorder recorder) {
    return recorder::record;
  }
}
