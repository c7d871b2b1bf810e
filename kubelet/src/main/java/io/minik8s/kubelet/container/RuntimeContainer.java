package io.minik8s.kubelet.container;

import io.minik8s.kubelet.Labels;
import java.time.Instant;
import java.util.Map;

/** A container as the runtime reports it, with the labels the kubelet put on it. */
public record RuntimeContainer(
    String id,
    String image,
    String imageId,
    Map<String, String> labels,
    State state,
    int exitCode,
    boolean oomKilled,
    Instant startedAt,
    Instant finishedAt) {

  public enum State { CREATED, RUNNING, EXITED, UNKNOWN }

  public String podUid() {
    return labels.getOrDefault(Labels.POD_UID, "");
  }

  public String containerName() {
    return labels.getOrDefault(Labels.CONTAINER_NAME, "");
  }

  public boolean isSandbox() {
    return Labels.SANDBOX.equals(labels.get(Labels.CONTAINER_TYPE));
  }

  /** The attempt number: how many times this container had been restarted when it was created. */
  public int restartCount() {
    try {
      return Integer.parseInt(labels.getOrDefault(Labels.RESTART_COUNT, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public boolean running() {
    return state == State.RUNNING;
  }

  /** Created but never started counts as exited: it will not run by itself. */
  public boolean exited() {
    return state == State.EXITED || state == State.CREATED;
  }
}
