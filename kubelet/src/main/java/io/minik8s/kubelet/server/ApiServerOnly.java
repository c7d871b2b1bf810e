package io.minik8s.kubelet.server;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.minik8s.client.pki.ClusterPki;
import io.minik8s.client.pki.X509Names;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the kubelet's logs/exec port: a caller whose client certificate (the handshake
 * checked it against the cluster CA) puts it in {@code system:masters}, which the api-server's
 * {@code kube-apiserver-kubelet-client} certificate does, as kubeadm makes it. A node's own
 * certificate ({@code system:nodes}) is refused, so one node cannot exec into another's pods.
 * Kubernetes' kubelet asks the api-server (SubjectAccessReview on nodes/proxy); this is the
 * fixed rule of its default cluster roles.
 */
final class ApiServerOnly implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(ApiServerOnly.class);
  private final String nodeName;

  ApiServerOnly(String nodeName) {
    this.nodeName = nodeName;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String user = caller(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    if (user == null) {
      log.info("node {}: refused {} from {}: not in {}", nodeName, call.getMethodDescriptor().getBareMethodName(),
          call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), ClusterPki.MASTERS);
      call.close(Status.PERMISSION_DENIED.withDescription("the kubelet of node " + nodeName
          + " serves logs and exec to the api-server only (a client certificate in " + ClusterPki.MASTERS + ")"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }

  /** The caller's user name when its certificate puts it in system:masters, else null. */
  private static String caller(SSLSession session) {
    try {
      if (session != null && session.getPeerCertificates()[0] instanceof X509Certificate leaf) {
        X509Names.Subject s = X509Names.subject(leaf);
        return s.organizations().contains(ClusterPki.MASTERS) ? s.commonName() : null;
      }
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
    return null;
  }
}
