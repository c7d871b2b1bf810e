package io.minik8s.controllermanager.certificates;

import io.minik8s.api.CertificateSigningRequest;
import io.minik8s.client.bootstrap.BootstrapToken;
import io.minik8s.client.pki.CertificateRequests;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides a kubelet's client-certificate request (Kubernetes' pkg/controller/certificates/approver/
 * sarapprove.go with its two recognizers, isNodeClientCert and isSelfNodeClientCert). It approves
 * only a request for signer {@value #KUBELET_SIGNER} whose subject is exactly
 * {@code CN=system:node:<name>, O=system:nodes} with client usages, made either by a bootstrap
 * token (a joining node) or by that very node (a renewal). Kubernetes asks a SubjectAccessReview
 * whether the requester may create {@code certificatesigningrequests/nodeclient}; here the two
 * requesters are fixed. Unlike Kubernetes, which leaves a request it does not like pending, a
 * kubelet-signer request that fails a check is Denied with the reason, so the joining node and
 * the operator see why at once. Requests of other signers, and kubelet requests from anyone else
 * (an admin), are left for a person to decide.
 */
public final class CsrApprover {
  public static final String KUBELET_SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";
  static final Set<String> ALLOWED_USAGES = Set.of("digital signature", "key encipherment", "client auth");
  private static final String NODE_PREFIX = "system:node:";
  private static final String NODES = "system:nodes";

  /** What to do with a request: approve or deny with a reason and message, or nothing. */
  public record Decision(boolean approve, String reason, String message) {
    static Decision approve(String message) {
      return new Decision(true, "AutoApproved", message);
    }

    static Decision deny(String reason, String message) {
      return new Decision(false, reason, message);
    }
  }

  private CsrApprover() {}

  /**
   * The decision on {@code csr}; {@code others} are the other requests known, to refuse one whose
   * key already got a certificate (a replay). Empty: not this approver's to decide.
   */
  public static Optional<Decision> decide(CertificateSigningRequest csr, List<CertificateSigningRequest> others) {
    if (!csr.getSpec().getSignerName().equals(KUBELET_SIGNER)) {
      return Optional.empty();
    }
    String user = csr.getSpec().getUsername();
    List<String> groups = csr.getSpec().getGroupsList();
    boolean bootstrap = user.startsWith(BootstrapToken.USER_PREFIX) && groups.contains(BootstrapToken.GROUP);
    boolean node = user.startsWith(NODE_PREFIX) && groups.contains(NODES);
    if (!bootstrap && !node) {
      return Optional.empty();
    }
    CertificateRequests.Parsed req;
    try {
      req = CertificateRequests.parse(csr.getSpec().getRequest().toByteArray());
    } catch (IllegalArgumentException e) {
      return Optional.of(Decision.deny("BadRequest", e.getMessage()));
    }
    if (!req.organizations().equals(List.of(NODES))) {
      return Optional.of(Decision.deny("NotNodeGroup", "a kubelet client certificate has organization exactly ["
          + NODES + "], not " + req.organizations()));
    }
    if (!req.commonName().startsWith(NODE_PREFIX) || req.commonName().length() == NODE_PREFIX.length()) {
      return Optional.of(Decision.deny("NotNodeName", "a kubelet client certificate's common name starts with \""
          + NODE_PREFIX + "\", not \"" + req.commonName() + "\""));
    }
    List<String> usages = csr.getSpec().getUsagesList();
    if (!usages.contains("client auth") || !ALLOWED_USAGES.containsAll(usages)) {
      return Optional.of(Decision.deny("BadUsages", "a kubelet client certificate has usages " + ALLOWED_USAGES
          + " with \"client auth\", not " + usages));
    }
    if (node && !bootstrap && !req.commonName().equals(user)) {
      return Optional.of(Decision.deny("NotSelf", "node \"" + user + "\" may renew only its own certificate, not one for \""
          + req.commonName() + "\""));
    }
    for (CertificateSigningRequest other : others) {
      if (!other.getMetadata().getName().equals(csr.getMetadata().getName()) && issuedFor(other, req.publicKeyDer())) {
        return Optional.of(Decision.deny("Replayed", "the key of this request already has a certificate (request "
            + other.getMetadata().getName() + "): a replayed request is not signed again"));
      }
    }
    return Optional.of(Decision.approve(bootstrap
        ? "Auto approving kubelet client certificate after SubjectAccessReview."
        : "Auto approving self kubelet client certificate after SubjectAccessReview."));
  }

  private static boolean issuedFor(CertificateSigningRequest other, byte[] key) {
    if (other.getStatus().getCertificate().isEmpty() && !CsrConditions.approved(other)) {
      return false;
    }
    try {
      return Arrays.equals(CertificateRequests.parse(other.getSpec().getRequest().toByteArray()).publicKeyDer(), key);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
