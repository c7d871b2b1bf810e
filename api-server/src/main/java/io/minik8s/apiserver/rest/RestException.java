package io.minik8s.apiserver.rest;

/** An error of the REST layer itself (bad body, wrong path), answered with its Status. */
final class RestException extends RuntimeException {
  private final KubeStatus status;

  RestException(KubeStatus status) {
    super(status.message(), null, false, false);
    this.status = status;
  }

  KubeStatus status() {
    return status;
  }
}
