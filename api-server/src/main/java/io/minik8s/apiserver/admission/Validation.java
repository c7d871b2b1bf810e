package io.minik8s.apiserver.admission;

import com.google.protobuf.Message;
import io.minik8s.api.CertificateSigningRequest;
import io.minik8s.api.ClusterRole;
import io.minik8s.api.ClusterRoleBinding;
import io.minik8s.api.ControllerRevision;
import io.minik8s.api.Deployment;
import io.minik8s.api.Endpoints;
import io.minik8s.api.Event;
import io.minik8s.api.Lease;
import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.Role;
import io.minik8s.api.RoleBinding;
import io.minik8s.api.Secret;
import io.minik8s.api.Service;
import io.minik8s.api.StatefulSet;
import io.minik8s.apiserver.admission.MetaValidation.NameRule;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Validation of API objects as Kubernetes' api-server does it, with its field paths and messages.
 * Both entry points expect defaulted objects ({@link Defaulting#apply}): a value Kubernetes would
 * have defaulted counts as missing here.
 *
 * <p>Mirrors Kubernetes' pkg/apis/core/validation/validation.go.
 */
public final class Validation {
  private Validation() {}

  /** Every problem of a new object; empty when valid. */
  public static List<FieldError> validateCreate(Message obj) {
    ResourceType type = Resources.of(obj);
    List<FieldError> errs = new ArrayList<>();
    MetaValidation.objectMeta(errs, KubeObjects.meta(obj), type.namespaced(), nameRule(obj));
    switch (obj) {
      case Pod p -> PodValidation.pod(errs, p);
      case ReplicaSet rs -> AppsValidation.replicaSet(errs, rs);
      case Deployment d -> AppsValidation.deployment(errs, d);
      case StatefulSet s -> StatefulSetValidation.statefulSet(errs, s);
      case Service s -> ServiceValidation.service(errs, s);
      case PersistentVolumeClaim pvc -> PvcValidation.spec(errs, pvc.getSpec(), FieldPath.root("spec"));
      case Namespace ns -> ClusterScopedValidation.namespace(errs, ns);
      case Node n -> ClusterScopedValidation.node(errs, n);
      case Endpoints ep -> RecordValidation.endpoints(errs, ep);
      case Event ev -> RecordValidation.event(errs, ev);
      case Lease l -> RecordValidation.lease(errs, l);
      case ControllerRevision cr -> RecordValidation.controllerRevision(errs, cr);
      case Role r -> RbacValidation.rules(errs, r.getRulesList(), true);
      case ClusterRole r -> RbacValidation.rules(errs, r.getRulesList(), false);
      case RoleBinding b -> RbacValidation.binding(errs, b.getRoleRef(), b.getSubjectsList(), true);
      case ClusterRoleBinding b -> RbacValidation.binding(errs, b.getRoleRef(), b.getSubjectsList(), false);
      case Secret sec -> CertificatesValidation.secret(errs, sec);
      case CertificateSigningRequest csr -> CertificatesValidation.csr(errs, csr);
      default -> throw new IllegalArgumentException("no validation for " + type.kind());
    }
    return List.copyOf(errs);
  }

  /** Every problem of updating {@code old} into {@code obj}: validateCreate's plus what may not change. */
  public static List<FieldError> validateUpdate(Message obj, Message old) {
    if (obj.getDescriptorForType() != old.getDescriptorForType()) {
      throw new IllegalArgumentException("cannot update a " + old.getDescriptorForType().getName()
          + " into a " + obj.getDescriptorForType().getName());
    }
    List<FieldError> errs = new ArrayList<>(validateCreate(obj));
    MetaValidation.objectMetaUpdate(errs, KubeObjects.meta(obj), KubeObjects.meta(old));
    switch (obj) {
      case Pod p -> PodValidation.update(errs, p, (Pod) old);
      case ReplicaSet rs -> AppsValidation.selectorUpdate(errs, rs.getSpec().getSelector(), rs.getSpec().hasSelector(),
          ((ReplicaSet) old).getSpec().getSelector(), ((ReplicaSet) old).getSpec().hasSelector());
      case Deployment d -> AppsValidation.selectorUpdate(errs, d.getSpec().getSelector(), d.getSpec().hasSelector(),
          ((Deployment) old).getSpec().getSelector(), ((Deployment) old).getSpec().hasSelector());
      case StatefulSet s -> StatefulSetValidation.update(errs, s, (StatefulSet) old);
      case Service s -> ServiceValidation.update(errs, s, (Service) old);
      case PersistentVolumeClaim pvc -> PvcValidation.update(errs, pvc, (PersistentVolumeClaim) old);
      case Node n -> ClusterScopedValidation.nodeUpdate(errs, n, (Node) old);
      case ControllerRevision cr -> RecordValidation.controllerRevisionUpdate(errs, cr, (ControllerRevision) old);
      case RoleBinding b -> RbacValidation.bindingUpdate(errs, b.getRoleRef(), ((RoleBinding) old).getRoleRef());
      case ClusterRoleBinding b ->
          RbacValidation.bindingUpdate(errs, b.getRoleRef(), ((ClusterRoleBinding) old).getRoleRef());
      case CertificateSigningRequest csr -> CertificatesValidation.csrUpdate(errs, csr, (CertificateSigningRequest) old);
      default -> { }
    }
    return List.copyOf(errs);
  }

  /**
   * Kubernetes' 422 message: {@code Deployment.apps "web" is invalid: <error>} for one error,
   * {@code ... is invalid: [<error>, <error>]} for several (repeats dropped).
   */
  public static String invalidMessage(Message obj, List<FieldError> errors) {
    ResourceType type = Resources.of(obj);
    String groupKind = type.group().isEmpty() ? type.kind() : type.kind() + "." + type.group();
    String prefix = groupKind + " " + GoValues.quoteBounded(KubeObjects.meta(obj).getName()) + " is invalid";
    Set<String> messages = new LinkedHashSet<>();
    errors.forEach(e -> messages.add(e.toString()));
    if (messages.isEmpty()) {
      return prefix;
    }
    String joined = String.join(", ", messages);
    return prefix + ": " + (messages.size() == 1 ? joined : "[" + joined + "]");
  }

  /**
   * Names that end up in DNS as a single label must be labels: a namespace and a service name
   * form service.namespace.svc, and a StatefulSet's name is its pods' host name prefix.
   */
  private static NameRule nameRule(Message obj) {
    return switch (obj) {
      case Namespace ns -> NameRule.LABEL;
      case StatefulSet s -> NameRule.LABEL;
      case Service s -> NameRule.DNS1035_LABEL;
      case Role r -> NameRule.PATH_SEGMENT;
      case ClusterRole r -> NameRule.PATH_SEGMENT;
      case RoleBinding b -> NameRule.PATH_SEGMENT;
      case ClusterRoleBinding b -> NameRule.PATH_SEGMENT;
      default -> NameRule.SUBDOMAIN;
    };
  }
}
