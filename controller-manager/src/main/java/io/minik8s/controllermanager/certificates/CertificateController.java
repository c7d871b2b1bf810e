package io.minik8s.controllermanager.certificates;

import com.google.protobuf.ByteString;
import io.minik8s.api.CertificateSigningRequest;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.client.pki.CertificateRequests;
import io.minik8s.client.pki.Credential;
import io.minik8s.controllermanager.controller.BaseController;
import io.minik8s.controllermanager.controller.ControllerClient;
import io.minik8s.controllermanager.controller.Lister;
import io.minik8s.controllermanager.controller.Recorder;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' csrapproving and csrsigning controllers in one loop (pkg/controller/certificates/
 * certificate_controller.go, approver/sarapprove.go, signer/signer.go): a request without a
 * decision gets one from {@link CsrApprover} (Approved or Denied, with an Event either way); an
 * approved kubelet request without a certificate is signed with the cluster CA
 * (--cluster-signing-cert-file/--cluster-signing-key-file), for {@link #VALIDITY}. The CA key is
 * read only here, on the control plane: the joining node never sees it.
 */
public final class CertificateController extends BaseController {
  private static final Logger log = LoggerFactory.getLogger(CertificateController.class);
  /** Kubernetes' --cluster-signing-duration default is a year. */
  public static final Duration VALIDITY = Duration.ofDays(365);

  private final Lister<CertificateSigningRequest> csrs;
  private final ControllerClient client;
  private final Recorder recorder;
  private final Credential ca;

  public CertificateController(Lister<CertificateSigningRequest> csrs, ControllerClient client, Recorder recorder,
      Credential ca, Clock clock) {
    super("certificates", clock);
    this.csrs = csrs;
    this.client = client;
    this.recorder = recorder;
    this.ca = ca;
  }

  public ResourceEventHandler<CertificateSigningRequest> handler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(CertificateSigningRequest c) {
        enqueue(c.getMetadata().getName());
      }

      @Override
      public void onUpdate(CertificateSigningRequest a, CertificateSigningRequest b) {
        enqueue(b.getMetadata().getName());
      }

      @Override
      public void onDelete(CertificateSigningRequest c) { }
    };
  }

  @Override
  public void sync(String name) {
    Optional<CertificateSigningRequest> found = csrs.get("", name);
    if (found.isEmpty()) {
      return;
    }
    CertificateSigningRequest csr = found.get();
    if (CsrConditions.denied(csr) || !csr.getStatus().getCertificate().isEmpty()) {
      return;
    }
    if (!CsrConditions.approved(csr)) {
      decide(csr);
      return; // the update comes back through the informer, approved, and is signed then
    }
    if (csr.getSpec().getSignerName().equals(CsrApprover.KUBELET_SIGNER)) {
      sign(csr);
    }
  }

  private void decide(CertificateSigningRequest csr) {
    Optional<CsrApprover.Decision> d = CsrApprover.decide(csr, csrs.list(""));
    if (d.isEmpty()) {
      return;
    }
    CsrApprover.Decision decision = d.get();
    String type = decision.approve() ? CsrConditions.APPROVED : CsrConditions.DENIED;
    client.updateStatus(CsrConditions.with(csr, type, decision.reason(), decision.message(), clock.instant()));
    log.info("{} certificate signing request {} of {}: {}", decision.approve() ? "approved" : "denied",
        csr.getMetadata().getName(), csr.getSpec().getUsername(), decision.message());
    recorder.event(csr, decision.approve() ? Recorder.NORMAL : Recorder.WARNING,
        decision.approve() ? "CSRApproved" : "CSRDenied", decision.message());
  }

  private void sign(CertificateSigningRequest csr) {
    CertificateRequests.Parsed req;
    try {
      req = CertificateRequests.parse(csr.getSpec().getRequest().toByteArray());
    } catch (IllegalArgumentException e) {
      client.updateStatus(CsrConditions.with(csr, "Failed", "SigningError", e.getMessage(), clock.instant()));
      return;
    }
    X509Certificate cert = CertificateRequests.signClient(ca, req, clock.instant(), VALIDITY);
    CertificateSigningRequest.Builder b = csr.toBuilder();
    b.getStatusBuilder().setCertificate(ByteString.copyFrom(CertificateRequests.pem(cert)));
    client.updateStatus(b.build());
    log.info("signed certificate signing request {}: {} until {}", csr.getMetadata().getName(), req.commonName(),
        cert.getNotAfter().toInstant());
    recorder.event(csr, Recorder.NORMAL, "CSRSigned", "issued a certificate for " + req.commonName() + " valid until "
        + cert.getNotAfter().toInstant());
  }
}
