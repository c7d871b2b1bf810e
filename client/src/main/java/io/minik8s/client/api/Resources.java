package io.minik8s.client.api;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.minik8s.api.ControllerRevision;
import io.minik8s.api.Deployment;
import io.minik8s.api.Endpoints;
import io.minik8s.api.Event;
import io.minik8s.api.CertificateSigningRequest;
import io.minik8s.api.ClusterRole;
import io.minik8s.api.ClusterRoleBinding;
import io.minik8s.api.Lease;
import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.Object;
import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.Role;
import io.minik8s.api.RoleBinding;
import io.minik8s.api.Secret;
import io.minik8s.api.Service;
import io.minik8s.api.StatefulSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The registry of every kind the API serves, looked up by kind, resource or short name. */
public final class Resources {
  public static final ResourceType NAMESPACES =
      type("Namespace", "namespaces", "", false, List.of("ns"), Namespace.getDefaultInstance());
  public static final ResourceType PODS =
      type("Pod", "pods", "", true, List.of("po"), Pod.getDefaultInstance());
  public static final ResourceType NODES =
      type("Node", "nodes", "", false, List.of("no"), Node.getDefaultInstance());
  public static final ResourceType SERVICES =
      type("Service", "services", "", true, List.of("svc"), Service.getDefaultInstance());
  public static final ResourceType ENDPOINTS =
      type("Endpoints", "endpoints", "", true, List.of("ep"), Endpoints.getDefaultInstance());
  public static final ResourceType EVENTS =
      type("Event", "events", "", true, List.of("ev"), Event.getDefaultInstance());
  public static final ResourceType PERSISTENT_VOLUME_CLAIMS =
      type("PersistentVolumeClaim", "persistentvolumeclaims", "", true, List.of("pvc"),
          PersistentVolumeClaim.getDefaultInstance());
  public static final ResourceType REPLICA_SETS =
      type("ReplicaSet", "replicasets", "apps", true, List.of("rs"), ReplicaSet.getDefaultInstance());
  public static final ResourceType DEPLOYMENTS =
      type("Deployment", "deployments", "apps", true, List.of("deploy"), Deployment.getDefaultInstance());
  public static final ResourceType STATEFUL_SETS =
      type("StatefulSet", "statefulsets", "apps", true, List.of("sts"), StatefulSet.getDefaultInstance());
  public static final ResourceType CONTROLLER_REVISIONS =
      type("ControllerRevision", "controllerrevisions", "apps", true, List.of(),
          ControllerRevision.getDefaultInstance());
  public static final ResourceType LEASES =
      type("Lease", "leases", "coordination.k8s.io", true, List.of(), Lease.getDefaultInstance());
  /** The API group of the RBAC kinds. */
  public static final String RBAC_GROUP = "rbac.authorization.k8s.io";
  public static final ResourceType ROLES =
      type("Role", "roles", RBAC_GROUP, true, List.of(), Role.getDefaultInstance());
  public static final ResourceType CLUSTER_ROLES =
      type("ClusterRole", "clusterroles", RBAC_GROUP, false, List.of(), ClusterRole.getDefaultInstance());
  public static final ResourceType ROLE_BINDINGS =
      type("RoleBinding", "rolebindings", RBAC_GROUP, true, List.of(), RoleBinding.getDefaultInstance());
  public static final ResourceType CLUSTER_ROLE_BINDINGS =
      type("ClusterRoleBinding", "clusterrolebindings", RBAC_GROUP, false, List.of(),
          ClusterRoleBinding.getDefaultInstance());

  public static final ResourceType SECRETS =
      type("Secret", "secrets", "", true, List.of(), Secret.getDefaultInstance());
  /** The API group of CertificateSigningRequests. */
  public static final String CERTIFICATES_GROUP = "certificates.k8s.io";
  public static final ResourceType CERTIFICATE_SIGNING_REQUESTS =
      type("CertificateSigningRequest", "certificatesigningrequests", CERTIFICATES_GROUP, false, List.of("csr"),
          CertificateSigningRequest.getDefaultInstance());

  public static final List<ResourceType> ALL = List.of(
      NAMESPACES, PODS, NODES, SERVICES, ENDPOINTS, EVENTS, PERSISTENT_VOLUME_CLAIMS,
      REPLICA_SETS, DEPLOYMENTS, STATEFUL_SETS, CONTROLLER_REVISIONS, LEASES,
      ROLES, CLUSTER_ROLES, ROLE_BINDINGS, CLUSTER_ROLE_BINDINGS, SECRETS, CERTIFICATE_SIGNING_REQUESTS);

  private static final Map<String, ResourceType> BY_KIND = new LinkedHashMap<>();
  private static final Map<String, ResourceType> BY_RESOURCE = new LinkedHashMap<>();
  private static final Map<String, ResourceType> BY_ANY_NAME = new LinkedHashMap<>();

  static {
    for (ResourceType t : ALL) {
      BY_KIND.put(t.kind(), t);
      BY_RESOURCE.put(t.resource(), t);
      String lowerKind = t.kind().toLowerCase(Locale.ROOT);
      BY_ANY_NAME.put(lowerKind, t);
      BY_ANY_NAME.put(t.resource(), t);
      BY_ANY_NAME.put(t.qualifiedSingular(), t);
      BY_ANY_NAME.put(t.qualifiedResource(), t);
      for (String s : t.shortNames()) {
        BY_ANY_NAME.put(s, t);
      }
    }
  }

  private Resources() {}

  private static ResourceType type(
      String kind, String resource, String group, boolean namespaced, List<String> shortNames,
      Message defaultInstance) {
    String envelopeName = toSnake(kind);
    FieldDescriptor field = Object.getDescriptor().findFieldByName(envelopeName);
    if (field == null) {
      throw new IllegalStateException("no field " + envelopeName + " in the Object envelope");
    }
    return new ResourceType(kind, resource, group, "v1", namespaced, shortNames, defaultInstance, field);
  }

  private static String toSnake(String kind) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < kind.length(); i++) {
      char c = kind.charAt(i);
      if (Character.isUpperCase(c) && i > 0) {
        sb.append('_');
      }
      sb.append(Character.toLowerCase(c));
    }
    return sb.toString();
  }

  /** The type of a kind as written in a manifest ({@code Deployment}). */
  public static Optional<ResourceType> byKind(String kind) {
    return Optional.ofNullable(BY_KIND.get(kind));
  }

  /** The type of a plural resource name ({@code deployments}). */
  public static Optional<ResourceType> byResource(String resource) {
    return Optional.ofNullable(BY_RESOURCE.get(resource));
  }

  /** The type for any name kubectl accepts: {@code po}, {@code pod}, {@code pods}, {@code deployment.apps}. */
  public static Optional<ResourceType> lookup(String name) {
    return Optional.ofNullable(BY_ANY_NAME.get(name.toLowerCase(Locale.ROOT)));
  }

  public static ResourceType requireResource(String resource) {
    return byResource(resource)
        .orElseThrow(() -> new IllegalArgumentException("the server doesn't have a resource type \"" + resource + "\""));
  }

  /** The type of the object the envelope carries. */
  public static ResourceType of(Object envelope) {
    for (ResourceType t : ALL) {
      if (envelope.hasField(t.envelopeField())) {
        return t;
      }
    }
    throw new IllegalArgumentException("empty object envelope");
  }

  /** The type of a message of one of the API's kinds. */
  public static ResourceType of(Message message) {
    for (ResourceType t : ALL) {
      if (t.defaultInstance().getDescriptorForType() == message.getDescriptorForType()) {
        return t;
      }
    }
    throw new IllegalArgumentException("not an API kind: " + message.getDescriptorForType().getFullName());
  }
}
