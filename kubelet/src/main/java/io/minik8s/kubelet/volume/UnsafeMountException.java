package io.minik8s.kubelet.volume;

/**
 * A volume mount the kubelet refuses to hand to Docker: a subPath that resolves outside its
 * volume, or a path Docker's bind syntax would misread. The container is not created (Kubernetes'
 * CreateContainerConfigError).
 */
public final class UnsafeMountException extends RuntimeException {
  public UnsafeMountException(String message) {
    super(message);
  }
}
