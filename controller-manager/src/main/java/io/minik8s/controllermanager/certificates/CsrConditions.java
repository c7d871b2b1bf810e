package io.minik8s.controllermanager.certificates;

import io.minik8s.api.CertificateSigningRequest;
import io.minik8s.api.CertificateSigningRequestCondition;
import java.time.Instant;

/** Reading and adding a request's Approved/Denied conditions (Kubernetes' certificates helpers). */
final class CsrConditions {
  static final String APPROVED = "Approved";
  static final String DENIED = "Denied";

  private CsrConditions() {}

  static boolean approved(CertificateSigningRequest csr) {
    return has(csr, APPROVED);
  }

  static boolean denied(CertificateSigningRequest csr) {
    return has(csr, DENIED);
  }

  private static boolean has(CertificateSigningRequest csr, String type) {
    return csr.getStatus().getConditionsList().stream().anyMatch(c -> c.getType().equals(type) && c.getStatus().equals("True"));
  }

  static CertificateSigningRequest with(CertificateSigningRequest csr, String type, String reason, String message,
      Instant now) {
    CertificateSigningRequest.Builder b = csr.toBuilder();
    b.getStatusBuilder().addConditions(CertificateSigningRequestCondition.newBuilder().setType(type).setStatus("True")
        .setReason(reason).setMessage(message).setLastUpdateTime(now.toString()).setLastTransitionTime(now.toString()));
    return b.build();
  }
}
