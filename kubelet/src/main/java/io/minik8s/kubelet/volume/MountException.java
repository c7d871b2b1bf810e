package io.minik8s.kubelet.volume;

/** A pod's volume could not be set up: reported as a FailedMount event, retried later. */
public final class MountException extends Exception {
  public MountException(String message) {
    super(message);
  }
}
