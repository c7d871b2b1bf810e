package io.minik8s.apiserver.authz;

/**
 * An authorizer's answer (Kubernetes' authorizer.Decision): allow, deny, or no opinion, which
 * leaves the request to the next authorizer of the chain. The reason, if any, ends up in the
 * Forbidden message ("... in the namespace "x": no relationship found between node ...").
 */
public record Decision(Kind kind, String reason) {
  public enum Kind { ALLOW, DENY, NO_OPINION }

  public static final Decision ALLOW = new Decision(Kind.ALLOW, "");
  public static final Decision NO_OPINION = new Decision(Kind.NO_OPINION, "");

  public static Decision noOpinion(String reason) {
    return new Decision(Kind.NO_OPINION, reason);
  }

  public static Decision deny(String reason) {
    return new Decision(Kind.DENY, reason);
  }

  public boolean allowed() {
    return kind == Kind.ALLOW;
  }
}
