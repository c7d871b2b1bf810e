package io.minik8s.apiserver.admission;

import com.google.protobuf.Message;
import io.minik8s.api.ClusterRoleBinding;
import io.minik8s.api.Secret;
import io.minik8s.api.Deployment;
import io.minik8s.api.Endpoints;
import io.minik8s.api.IntOrString;
import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.RoleBinding;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.api.StatefulSet;
import io.minik8s.client.api.Resources;

/**
 * Kubernetes' (1.32) v1 defaulting: fills in what a manifest may leave out, so that stored objects
 * say explicitly what the cluster will do. Only fields that are unset are touched, which makes
 * {@link #apply} idempotent. apiVersion, kind and metadata are the storage layer's business.
 *
 * <p>Mirrors Kubernetes' pkg/apis/core/v1/defaults.go.
 */
public final class Defaulting {
  private Defaulting() {}

  /** A copy of {@code obj} (any kind in {@link Resources#ALL}) with defaults filled in. */
  @SuppressWarnings("unchecked")
  public static <T extends Message> T apply(T obj) {
    Resources.of(obj); // rejects messages that are not API kinds
    Message out = switch (obj) {
      case Pod p -> pod(p);
      case ReplicaSet rs -> AppsDefaulting.replicaSet(rs);
      case Deployment d -> AppsDefaulting.deployment(d);
      case StatefulSet s -> AppsDefaulting.statefulSet(s);
      case Service s -> service(s);
      case Namespace ns -> namespace(ns);
      case PersistentVolumeClaim pvc -> persistentVolumeClaim(pvc);
      case Endpoints ep -> endpoints(ep);
      case Node n -> node(n);
      case RoleBinding b -> RbacDefaulting.roleBinding(b);
      case ClusterRoleBinding b -> RbacDefaulting.clusterRoleBinding(b);
      case Secret sec -> sec.getType().isEmpty() ? sec.toBuilder().setType("Opaque").build() : sec;
      default -> obj; // Event, Lease, ControllerRevision, Role, ClusterRole: nothing to default
    };
    return (T) out;
  }

  private static Pod pod(Pod pod) {
    Pod.Builder b = pod.toBuilder();
    PodDefaulting.podSpec(b.getSpecBuilder());
    PodDefaulting.requestsFromLimits(b.getSpecBuilder());
    return b.build();
  }

  private static Service service(Service svc) {
    Service.Builder b = svc.toBuilder();
    ServiceSpec.Builder spec = b.getSpecBuilder();
    if (spec.getType().isEmpty()) {
      spec.setType("ClusterIP");
    }
    if (spec.getSessionAffinity().isEmpty()) {
      spec.setSessionAffinity("None");
    }
    if (spec.getSessionAffinity().equals("ClientIP") && !spec.getSessionAffinityConfig().getClientIp().hasTimeoutSeconds()) {
      spec.getSessionAffinityConfigBuilder().getClientIpBuilder().setTimeoutSeconds(10800);
    }
    // clusterIP and clusterIPs say the same thing; keep them in step as Kubernetes' REST layer does
    if (spec.getClusterIpsCount() == 0 && !spec.getClusterIp().isEmpty()) {
      spec.addClusterIps(spec.getClusterIp());
    } else if (spec.getClusterIp().isEmpty() && spec.getClusterIpsCount() > 0) {
      spec.setClusterIp(spec.getClusterIps(0));
    }
    for (ServicePort.Builder port : spec.getPortsBuilderList()) {
      if (port.getProtocol().isEmpty()) {
        port.setProtocol("TCP");
      }
      IntOrString target = port.getTargetPort();
      boolean unset = switch (target.getValueCase()) {
        case INT_VAL -> target.getIntVal() == 0;
        case STR_VAL -> target.getStrVal().isEmpty();
        case VALUE_NOT_SET -> true;
      };
      if (unset) {
        port.setTargetPort(IntOrString.newBuilder().setIntVal(port.getPort()));
      }
    }
    if (!spec.getType().equals("ExternalName")) {
      if (spec.getInternalTrafficPolicy().isEmpty()) {
        spec.setInternalTrafficPolicy("Cluster");
      }
      // a single-stack IPv4 cluster
      if (spec.getIpFamiliesCount() == 0) {
        spec.addIpFamilies("IPv4");
      }
      if (spec.getIpFamilyPolicy().isEmpty()) {
        spec.setIpFamilyPolicy("SingleStack");
      }
    }
    if (ServiceValidation.externallyAccessible(spec.build()) && spec.getExternalTrafficPolicy().isEmpty()) {
      spec.setExternalTrafficPolicy("Cluster");
    }
    return b.build();
  }

  /**
   * The "kubernetes" finalizer makes the namespace controller empty a namespace before it goes.
   * It is added only while the namespace is not being deleted: that controller removes it at the
   * end of termination, and defaulting must not put it back.
   */
  private static Namespace namespace(Namespace ns) {
    Namespace.Builder b = ns.toBuilder();
    if (ns.getMetadata().getDeletionTimestamp().isEmpty() && !ns.getSpec().getFinalizersList().contains("kubernetes")) {
      b.getSpecBuilder().addFinalizers("kubernetes");
    }
    if (ns.getStatus().getPhase().isEmpty()) {
      b.getStatusBuilder().setPhase("Active");
    }
    return b.build();
  }

  private static PersistentVolumeClaim persistentVolumeClaim(PersistentVolumeClaim pvc) {
    if (!pvc.getSpec().getVolumeMode().isEmpty()) {
      return pvc;
    }
    PersistentVolumeClaim.Builder b = pvc.toBuilder();
    b.getSpecBuilder().setVolumeMode("Filesystem");
    return b.build();
  }

  private static Endpoints endpoints(Endpoints ep) {
    Endpoints.Builder b = ep.toBuilder();
    b.getSubsetsBuilderList().forEach(ss -> ss.getPortsBuilderList().forEach(p -> {
      if (p.getProtocol().isEmpty()) {
        p.setProtocol("TCP");
      }
    }));
    return b.build();
  }

  /** What a node can give pods is, unless the kubelet says otherwise, all it has. */
  private static Node node(Node node) {
    if (node.getStatus().getAllocatableCount() > 0 || node.getStatus().getCapacityCount() == 0) {
      return node;
    }
    Node.Builder b = node.toBuilder();
    b.getStatusBuilder().putAllAllocatable(node.getStatus().getCapacityMap());
    return b.build();
  }
}
