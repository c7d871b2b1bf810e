package io.minik8s.mkctl;

/**
 * A mistake the user can fix (an unknown resource type, a missing argument): printed as
 * {@code error: MESSAGE}, and mkctl exits with 1.
 */
public class MkctlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MkctlException(String message) {
    super(message);
  }
}
