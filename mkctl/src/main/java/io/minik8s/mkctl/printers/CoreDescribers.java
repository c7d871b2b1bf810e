package io.minik8s.mkctl.printers;

import io.minik8s.client.printers.ServiceColumns;
import io.minik8s.client.printers.ClusterColumns;
import io.minik8s.client.printers.Age;
import io.minik8s.client.printers.Format;
import com.google.protobuf.Message;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.NodeAddress;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.Pod;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.Taint;
import io.minik8s.api.Volume;
import io.minik8s.client.api.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@code describe} of services, endpoints, nodes, namespaces and persistent volume claims. */
public final class CoreDescribers {
  static final Describer<Service> SERVICE = CoreDescribers::service;
  static final Describer<Endpoints> ENDPOINTS = CoreDescribers::endpoints;
  static final Describer<Node> NODE = CoreDescribers::node;
  static final Describer<Namespace> NAMESPACE = CoreDescribers::namespace;
  static final Describer<PersistentVolumeClaim> PERSISTENT_VOLUME_CLAIM = CoreDescribers::persistentVolumeClaim;

  private CoreDescribers() {}

  static void service(Service s, DescribeWriter w, Describer.Context ctx) {
    var spec = s.getSpec();
    Describers.header(s, w);
    w.field(0, "Selector", Format.labels(spec.getSelectorMap()));
    String type = ServiceColumns.type(spec);
    w.field(0, "Type", type);
    if (!spec.getIpFamilyPolicy().isEmpty()) {
      w.field(0, "IP Family Policy", spec.getIpFamilyPolicy());
    }
    if (spec.getIpFamiliesCount() > 0) {
      w.field(0, "IP Families", String.join(",", spec.getIpFamiliesList()));
    }
    w.field(0, "IP", ServiceColumns.clusterIp(spec));
    if (spec.getClusterIpsCount() > 0) {
      w.field(0, "IPs", String.join(",", spec.getClusterIpsList()));
    }
    if (spec.getExternalIpsCount() > 0) {
      w.field(0, "External IPs", String.join(",", spec.getExternalIpsList()));
    }
    if (type.equals("ExternalName")) {
      w.field(0, "External Name", spec.getExternalName());
    }
    if (type.equals("LoadBalancer")) {
      w.field(0, "LoadBalancer Ingress", ServiceColumns.externalIp(s));
    }
    Optional<Message> endpoints = ctx.lookup().find(Resources.ENDPOINTS, s.getMetadata().getNamespace(), s.getMetadata().getName());
    for (ServicePort p : spec.getPortsList()) {
      String proto = p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
      String name = p.getName().isEmpty() ? "<unset>" : p.getName();
      w.field(0, "Port", name + "  " + p.getPort() + "/" + proto);
      String target = p.hasTargetPort()
          ? (p.getTargetPort().hasStrVal() ? p.getTargetPort().getStrVal() : Integer.toString(p.getTargetPort().getIntVal()))
          : Integer.toString(p.getPort());
      w.field(0, "TargetPort", target + "/" + proto);
      if (p.getNodePort() > 0) {
        w.field(0, "NodePort", name + "  " + p.getNodePort() + "/" + proto);
      }
      w.field(0, "Endpoints", endpoints.map(e -> endpointsOfPort((Endpoints) e, p.getName())).orElse(Format.NONE));
    }
    w.field(0, "Session Affinity", spec.getSessionAffinity().isEmpty() ? "None" : spec.getSessionAffinity());
    if (type.equals("NodePort") || type.equals("LoadBalancer")) {
      w.field(0, "External Traffic Policy",
          spec.getExternalTrafficPolicy().isEmpty() ? "Cluster" : spec.getExternalTrafficPolicy());
    }
    if (!spec.getInternalTrafficPolicy().isEmpty()) {
      w.field(0, "Internal Traffic Policy", spec.getInternalTrafficPolicy());
    }
  }

  /** The ready {@code ip:port} pairs for the service port of that name. */
  private static String endpointsOfPort(Endpoints e, String portName) {
    List<String> pairs = new ArrayList<>();
    for (EndpointSubset s : e.getSubsetsList()) {
      for (EndpointPort p : s.getPortsList()) {
        if (!p.getName().equals(portName)) {
          continue;
        }
        for (EndpointAddress a : s.getAddressesList()) {
          pairs.add(a.getIp() + ":" + p.getPort());
        }
      }
    }
    return Format.firstOf(pairs, 3);
  }

  static void endpoints(Endpoints e, DescribeWriter w, Describer.Context ctx) {
    Describers.header(e, w);
    if (e.getSubsetsCount() == 0) {
      w.field(0, "Subsets", Format.NONE);
      return;
    }
    w.section(0, "Subsets");
    for (EndpointSubset s : e.getSubsetsList()) {
      w.field(1, "Addresses", Format.orNone(String.join(",", s.getAddressesList().stream().map(EndpointAddress::getIp).toList())));
      w.field(1, "NotReadyAddresses",
          Format.orNone(String.join(",", s.getNotReadyAddressesList().stream().map(EndpointAddress::getIp).toList())));
      if (s.getPortsCount() == 0) {
        w.field(1, "Ports", Format.NONE);
        continue;
      }
      w.section(1, "Ports");
      w.raw(2, "Name\tPort\tProtocol");
      w.raw(2, "----\t----\t--------");
      for (EndpointPort p : s.getPortsList()) {
        w.raw(2, (p.getName().isEmpty() ? "<unset>" : p.getName()) + "\t" + p.getPort() + "\t"
            + (p.getProtocol().isEmpty() ? "TCP" : p.getProtocol()));
      }
    }
  }

  static void node(Node n, DescribeWriter w, Describer.Context ctx) {
    var meta = n.getMetadata();
    var st = n.getStatus();
    w.field(0, "Name", meta.getName());
    w.field(0, "Roles", ClusterColumns.roles(meta.getLabelsMap()));
    w.labels(0, "Labels", meta.getLabelsMap());
    w.annotations(0, "Annotations", meta.getAnnotationsMap());
    w.field(0, "CreationTimestamp", Describers.time(meta.getCreationTimestamp(), ctx));
    List<String> taints = new ArrayList<>();
    for (Taint t : n.getSpec().getTaintsList()) {
      taints.add(t.getKey() + (t.getValue().isEmpty() ? "" : "=" + t.getValue()) + ":" + t.getEffect());
    }
    w.lines(0, "Taints", taints);
    w.field(0, "Unschedulable", n.getSpec().getUnschedulable());
    if (st.getConditionsCount() == 0) {
      w.field(0, "Conditions", Format.NONE);
    } else {
      w.section(0, "Conditions");
      w.raw(1, "Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage");
      w.raw(1, "----\t------\t-----------------\t------------------\t------\t-------");
      for (NodeCondition c : st.getConditionsList()) {
        w.raw(1, c.getType() + "\t" + c.getStatus() + "\t" + Describers.time(c.getLastHeartbeatTime(), ctx) + "\t"
            + Describers.time(c.getLastTransitionTime(), ctx) + "\t" + c.getReason() + "\t"
            + c.getMessage().replace('\n', ' ').replace('\t', ' '));
      }
    }
    if (st.getAddressesCount() == 0) {
      w.field(0, "Addresses", Format.NONE);
    } else {
      w.section(0, "Addresses");
      for (NodeAddress a : st.getAddressesList()) {
        w.field(1, a.getType(), a.getAddress());
      }
    }
    quantities(w, "Capacity", st.getCapacityMap());
    quantities(w, "Allocatable", st.getAllocatableMap());
    var info = st.getNodeInfo();
    w.section(0, "System Info");
    w.field(1, "Machine ID", info.getMachineId());
    w.field(1, "System UUID", info.getSystemUuid());
    w.field(1, "Boot ID", info.getBootId());
    w.field(1, "Kernel Version", info.getKernelVersion());
    w.field(1, "OS Image", info.getOsImage());
    w.field(1, "Operating System", info.getOperatingSystem());
    w.field(1, "Architecture", info.getArchitecture());
    w.field(1, "Container Runtime Version", info.getContainerRuntimeVersion());
    w.field(1, "Kubelet Version", info.getKubeletVersion());
    w.field(1, "Kube-Proxy Version", info.getKubeProxyVersion());
    if (!n.getSpec().getPodCidr().isEmpty()) {
      w.field(0, "PodCIDR", n.getSpec().getPodCidr());
    }
    if (n.getSpec().getPodCidrsCount() > 0) {
      w.field(0, "PodCIDRs", String.join(",", n.getSpec().getPodCidrsList()));
    }
    List<Pod> pods = new ArrayList<>();
    for (Message m : ctx.lookup().list(Resources.PODS, "", "", "spec.nodeName=" + meta.getName())) {
      Pod p = (Pod) m;
      String phase = p.getStatus().getPhase();
      if (!phase.equals("Succeeded") && !phase.equals("Failed")) {
        pods.add(p);
      }
    }
    w.field(0, "Non-terminated Pods", "(" + pods.size() + " in total)");
    if (!pods.isEmpty()) {
      w.raw(1, "Namespace\tName\tCPU Requests\tMemory Requests\tAge");
      w.raw(1, "---------\t----\t------------\t---------------\t---");
      for (Pod p : pods) {
        w.raw(1, p.getMetadata().getNamespace() + "\t" + p.getMetadata().getName() + "\t"
            + requests(p, "cpu") + "\t" + requests(p, "memory") + "\t"
            + Age.since(p.getMetadata().getCreationTimestamp(), ctx.now()));
      }
    }
  }

  /** A pod's requests of one resource, listed per container ({@code 100m,250m}); 0 when none. */
  private static String requests(Pod p, String resource) {
    List<String> values = new ArrayList<>();
    p.getSpec().getContainersList().forEach(c -> {
      String v = c.getResources().getRequestsOrDefault(resource, "");
      if (!v.isEmpty()) {
        values.add(v);
      }
    });
    return values.isEmpty() ? "0" : String.join(",", values);
  }

  private static void quantities(DescribeWriter w, String key, Map<String, String> amounts) {
    if (amounts.isEmpty()) {
      w.field(0, key, Format.NONE);
      return;
    }
    w.section(0, key);
    new TreeMap<>(amounts).forEach((k, v) -> w.field(1, k, v));
  }

  static void namespace(Namespace ns, DescribeWriter w, Describer.Context ctx) {
    Describers.header(ns, w);
    w.field(0, "Status", ns.getStatus().getPhase().isEmpty() ? "Active" : ns.getStatus().getPhase());
  }

  static void persistentVolumeClaim(PersistentVolumeClaim c, DescribeWriter w, Describer.Context ctx) {
    var meta = c.getMetadata();
    w.field(0, "Name", meta.getName());
    w.field(0, "Namespace", meta.getNamespace());
    w.field(0, "StorageClass", c.getSpec().getStorageClassName());
    w.field(0, "Status", c.getStatus().getPhase().isEmpty() ? "Pending" : c.getStatus().getPhase());
    w.field(0, "Volume", c.getSpec().getVolumeName());
    w.labels(0, "Labels", meta.getLabelsMap());
    w.annotations(0, "Annotations", meta.getAnnotationsMap());
    w.field(0, "Finalizers", meta.getFinalizersList());
    w.field(0, "Capacity", c.getStatus().getCapacityOrDefault("storage", ""));
    w.field(0, "Access Modes", Format.accessModes(c.getStatus().getAccessModesList()));
    w.field(0, "VolumeMode", c.getSpec().getVolumeMode().isEmpty() ? "Filesystem" : c.getSpec().getVolumeMode());
    List<String> users = new ArrayList<>();
    for (Message m : ctx.lookup().list(Resources.PODS, meta.getNamespace(), "", "")) {
      Pod p = (Pod) m;
      for (Volume v : p.getSpec().getVolumesList()) {
        if (v.hasPersistentVolumeClaim() && v.getPersistentVolumeClaim().getClaimName().equals(meta.getName())) {
          users.add(p.getMetadata().getName());
          break;
        }
      }
    }
    w.field(0, "Used By", users.isEmpty() ? Format.NONE : String.join(",", users));
  }
}
