package io.minik8s.apiserver.admission;

import io.minik8s.api.CertificateSigningRequest;
import io.minik8s.api.CertificateSigningRequestCondition;
import io.minik8s.api.Secret;
import io.minik8s.client.pki.CertificateRequests;
import java.util.List;
import java.util.regex.Pattern;

/**
 * CertificateSigningRequests (Kubernetes' pkg/apis/certificates/validation/validation.go) and the
 * Secrets that carry bootstrap tokens (pkg/apis/core/validation: ValidateSecret): a request must
 * be a readable, self-signed PEM request with a signer and usages, and its spec never changes; a
 * Secret's keys are config keys and its data at most 1 MiB.
 */
final class CertificatesValidation {
  static final List<String> CONDITIONS = List.of("Approved", "Denied", "Failed");
  private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private static final int MAX_SECRET_BYTES = 1024 * 1024;

  private CertificatesValidation() {}

  static void csr(List<FieldError> errs, CertificateSigningRequest csr) {
    FieldPath spec = FieldPath.root("spec");
    if (csr.getSpec().getRequest().isEmpty()) {
      errs.add(spec.child("request").required(""));
    } else {
      try {
        CertificateRequests.parse(csr.getSpec().getRequest().toByteArray());
      } catch (IllegalArgumentException e) {
        errs.add(spec.child("request").invalidRendered("<certificate request>", e.getMessage()));
      }
    }
    if (csr.getSpec().getSignerName().isEmpty()) {
      errs.add(spec.child("signerName").required(""));
    }
    if (csr.getSpec().getUsagesCount() == 0) {
      errs.add(spec.child("usages").required(""));
    }
    boolean approved = false;
    boolean denied = false;
    for (int i = 0; i < csr.getStatus().getConditionsCount(); i++) {
      CertificateSigningRequestCondition c = csr.getStatus().getConditions(i);
      FieldPath p = FieldPath.root("status").child("conditions").index(i);
      Checks.requiredOneOf(errs, c.getType(), p.child("type"), CONDITIONS);
      approved |= c.getType().equals("Approved");
      denied |= c.getType().equals("Denied");
    }
    if (approved && denied) {
      errs.add(FieldPath.root("status").child("conditions")
          .invalidRendered("[Approved, Denied]", "Approved and Denied conditions are mutually exclusive"));
    }
  }

  /** The spec is the requester's, and who the requester was is the api-server's: neither changes. */
  static void csrUpdate(List<FieldError> errs, CertificateSigningRequest csr, CertificateSigningRequest old) {
    if (!csr.getSpec().equals(old.getSpec())) {
      errs.add(FieldPath.root("spec").forbidden("field is immutable"));
    }
    if (!old.getStatus().getCertificate().isEmpty()
        && !csr.getStatus().getCertificate().equals(old.getStatus().getCertificate())) {
      errs.add(FieldPath.root("status").child("certificate").forbidden("updates may not modify existing certificate content"));
    }
  }

  static void secret(List<FieldError> errs, Secret s) {
    long total = 0;
    for (var e : s.getDataMap().entrySet()) {
      if (!CONFIG_KEY.matcher(e.getKey()).matches() || e.getKey().equals(".") || e.getKey().equals("..")) {
        errs.add(FieldPath.root("data").invalid(e.getKey(),
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"));
      }
      total += e.getValue().size();
    }
    if (total > MAX_SECRET_BYTES) {
      errs.add(FieldError.tooLong("data", MAX_SECRET_BYTES));
    }
  }
}
