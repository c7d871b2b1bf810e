package io.minik8s.apiserver.admission;

import io.minik8s.api.ControllerRevision;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.Event;
import io.minik8s.api.Lease;
import io.minik8s.api.LeaseSpec;
import java.util.List;

/**
 * Kinds that components write as records of what they did or decided: Endpoints, Event, Lease,
 * ControllerRevision. Checked lightly, as Kubernetes does, since no user writes them by hand.
 */
final class RecordValidation {
  private RecordValidation() {}

  static void endpoints(List<FieldError> errs, Endpoints ep) {
    FieldPath path = FieldPath.root("subsets");
    for (int i = 0; i < ep.getSubsetsCount(); i++) {
      EndpointSubset ss = ep.getSubsets(i);
      FieldPath p = path.index(i);
      if (ss.getAddressesCount() == 0 && ss.getNotReadyAddressesCount() == 0) {
        errs.add(p.required("must specify `addresses` or `notReadyAddresses`"));
      }
      for (int a = 0; a < ss.getAddressesCount(); a++) {
        address(errs, ss.getAddresses(a), p.child("addresses").index(a));
      }
      for (int a = 0; a < ss.getNotReadyAddressesCount(); a++) {
        address(errs, ss.getNotReadyAddresses(a), p.child("notReadyAddresses").index(a));
      }
      for (int j = 0; j < ss.getPortsCount(); j++) {
        port(errs, ss.getPorts(j), ss.getPortsCount() > 1, p.child("ports").index(j));
      }
    }
  }

  private static void address(List<FieldError> errs, EndpointAddress a, FieldPath path) {
    if (!IpAddresses.isIp(a.getIp())) {
      errs.add(path.child("ip").invalid(a.getIp(), IpAddresses.IP_MSG));
    } else {
      // kube-proxy forwards Service traffic to these: a loopback one would publish the node's own
      // loopback-only services (etcd, the kubelet) to every client of the Service
      IpAddresses.nonSpecialIp(a.getIp()).forEach(m -> errs.add(path.child("ip").invalid(a.getIp(), m)));
    }
    if (!a.getHostname().isEmpty()) {
      Checks.format(errs, NameValidation.dns1123Label(a.getHostname()), path.child("hostname"), a.getHostname());
    }
    if (a.hasNodeName()) {
      Checks.format(errs, NameValidation.dns1123Subdomain(a.getNodeName()), path.child("nodeName"), a.getNodeName());
    }
  }

  private static void port(List<FieldError> errs, EndpointPort port, boolean requireName, FieldPath path) {
    if (requireName && port.getName().isEmpty()) {
      errs.add(path.child("name").required(""));
    } else if (!port.getName().isEmpty()) {
      Checks.format(errs, NameValidation.dns1123Label(port.getName()), path.child("name"), port.getName());
    }
    NameValidation.portNumber(port.getPort()).forEach(m -> errs.add(path.child("port").invalid(port.getPort(), m)));
    Checks.requiredOneOf(errs, port.getProtocol(), path.child("protocol"), ContainerValidation.PROTOCOLS);
  }

  /** An event lives in its object's namespace (cluster-scoped objects' events in default). */
  static void event(List<FieldError> errs, Event ev) {
    if (!ev.getEventTime().isEmpty()) {
      return;
    }
    String involved = ev.getInvolvedObject().getNamespace();
    String own = ev.getMetadata().getNamespace();
    boolean ok = involved.isEmpty() ? own.isEmpty() || own.equals("default") : own.equals(involved);
    if (!ok) {
      errs.add(FieldPath.root("involvedObject").child("namespace").invalid(involved, "does not match event.namespace"));
    }
  }

  static void lease(List<FieldError> errs, Lease lease) {
    LeaseSpec spec = lease.getSpec();
    FieldPath path = FieldPath.root("spec");
    if (spec.hasLeaseDurationSeconds() && spec.getLeaseDurationSeconds() <= 0) {
      errs.add(path.child("leaseDurationSeconds").invalid(spec.getLeaseDurationSeconds(), "must be greater than 0"));
    }
    if (spec.hasLeaseTransitions()) {
      Checks.nonNegative(errs, spec.getLeaseTransitions(), path.child("leaseTransitions"));
    }
  }

  static void controllerRevision(List<FieldError> errs, ControllerRevision rev) {
    if (!rev.hasData()) {
      errs.add(FieldPath.root("data").required("data is mandatory"));
    }
    Checks.nonNegative(errs, rev.getRevision(), FieldPath.root("revision"));
  }

  /** A revision is a snapshot: rollbacks rely on its data never changing. */
  static void controllerRevisionUpdate(List<FieldError> errs, ControllerRevision rev, ControllerRevision old) {
    if (!rev.getData().equals(old.getData())) {
      errs.add(FieldPath.root("data").invalidRendered("runtime.RawExtension{...}", Checks.IMMUTABLE));
    }
  }
}
