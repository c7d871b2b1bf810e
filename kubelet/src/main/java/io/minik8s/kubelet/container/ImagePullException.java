package io.minik8s.kubelet.container;

/** An image could not be pulled (no registry, unknown image...). */
public final class ImagePullException extends Exception {
  public ImagePullException(String message) {
    super(message);
  }
}
