package io.minik8s.apiserver.authz;

/** Decides whether a request may be made (Kubernetes' authorizer.Authorizer). */
@FunctionalInterface
public interface Authorizer {
  Decision authorize(Attributes request);

  /** Kubernetes' AlwaysAllow mode, the development mode's. */
  Authorizer ALWAYS_ALLOW = request -> Decision.ALLOW;
}
