package io.minik8s.apiserver.admission;

import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.NodeSpec;
import io.minik8s.api.Taint;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The cluster-scoped kinds: Namespace and Node. */
final class ClusterScopedValidation {
  private static final FieldPath SPEC = FieldPath.root("spec");
  private static final List<String> STANDARD_FINALIZERS = List.of("kubernetes", "orphan", "foregroundDeletion");

  private ClusterScopedValidation() {}

  static void namespace(List<FieldError> errs, Namespace ns) {
    PodSecurity.namespaceLabels(errs, ns.getMetadata().getLabelsMap());
    FieldPath path = SPEC.child("finalizers");
    for (int i = 0; i < ns.getSpec().getFinalizersCount(); i++) {
      String f = ns.getSpec().getFinalizers(i);
      FieldPath p = path.index(i);
      Checks.format(errs, NameValidation.qualifiedName(f), p, f);
      // unqualified names are reserved for Kubernetes' own finalizers
      if (!f.contains("/") && !STANDARD_FINALIZERS.contains(f)) {
        errs.add(p.invalid(f, "name is neither a standard finalizer name nor is it fully qualified"));
      }
    }
  }

  static void node(List<FieldError> errs, Node node) {
    NodeSpec spec = node.getSpec();
    if (!spec.getPodCidr().isEmpty() && !IpAddresses.isCidr(spec.getPodCidr())) {
      errs.add(SPEC.child("podCIDR").invalid(spec.getPodCidr(), IpAddresses.CIDR_MSG));
    }
    for (int i = 0; i < spec.getPodCidrsCount(); i++) {
      if (!IpAddresses.isCidr(spec.getPodCidrs(i))) {
        errs.add(SPEC.child("podCIDRs").index(i).invalid(spec.getPodCidrs(i), IpAddresses.CIDR_MSG));
      }
    }
    taints(errs, spec.getTaintsList(), SPEC.child("taints"));
  }

  private static void taints(List<FieldError> errs, List<Taint> taints, FieldPath path) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < taints.size(); i++) {
      Taint t = taints.get(i);
      FieldPath p = path.index(i);
      Checks.format(errs, NameValidation.qualifiedName(t.getKey()), p.child("key"), t.getKey());
      List<String> valueMsgs = NameValidation.labelValue(t.getValue());
      if (!valueMsgs.isEmpty()) {
        errs.add(p.child("value").invalid(t.getValue(), String.join(";", valueMsgs)));
      }
      Checks.requiredOneOf(errs, t.getEffect(), p.child("effect"), PodSpecValidation.TAINT_EFFECTS);
      // a toleration matches by key and effect, so a second such taint could never be told apart
      if (!seen.add(t.getKey() + "\u0000" + t.getEffect())) {
        errs.add(p.duplicateRendered("core.Taint{Key:" + GoValues.quote(t.getKey()) + ", Value:"
            + GoValues.quote(t.getValue()) + ", Effect:" + GoValues.quote(t.getEffect()) + ", TimeAdded:<nil>}",
            "taints must be unique by key and effect pair"));
      }
    }
  }

  /** The pod CIDR is assigned once (by the node IPAM controller); pods already use addresses from it. */
  static void nodeUpdate(List<FieldError> errs, Node node, Node old) {
    NodeSpec spec = node.getSpec();
    NodeSpec oldSpec = old.getSpec();
    boolean cidrChanged = (!oldSpec.getPodCidr().isEmpty() && !oldSpec.getPodCidr().equals(spec.getPodCidr()))
        || (oldSpec.getPodCidrsCount() > 0 && !oldSpec.getPodCidrsList().equals(spec.getPodCidrsList()));
    if (cidrChanged) {
      errs.add(SPEC.child("podCIDRs").forbidden("node updates may not change podCIDR except from \"\" to valid"));
    }
    if (!oldSpec.getProviderId().isEmpty() && !oldSpec.getProviderId().equals(spec.getProviderId())) {
      errs.add(SPEC.child("providerID").forbidden("node updates may not change providerID except from \"\" to valid"));
    }
  }
}
