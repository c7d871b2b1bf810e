package io.minik8s.apiserver.admission;

import com.google.protobuf.Message;
import io.minik8s.api.CertificateSigningRequest;
import io.minik8s.apiserver.auth.UserInfo;

/**
 * Who asked for a certificate is the api-server's to say: on create, a CertificateSigningRequest's
 * spec.username and spec.groups are overwritten with the authenticated caller, whatever the client
 * sent (Kubernetes' pkg/registry/certificates/certificates/strategy.go, PrepareForCreate). The
 * approver decides on them, so a client that could set them could approve itself.
 */
public final class CsrRequester {
  private CsrRequester() {}

  /** {@code obj} with the requester filled in when it is a CertificateSigningRequest; else unchanged. */
  public static Message fill(Message obj, UserInfo user) {
    if (!(obj instanceof CertificateSigningRequest csr)) {
      return obj;
    }
    CertificateSigningRequest.Builder b = csr.toBuilder();
    b.getSpecBuilder().clearUsername().clearGroups().clearUid();
    if (user != null) {
      b.getSpecBuilder().setUsername(user.name()).addAllGroups(user.groups());
    }
    return b.build();
  }
}
