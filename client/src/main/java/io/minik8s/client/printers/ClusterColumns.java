package io.minik8s.client.printers;

import io.minik8s.api.Event;
import io.minik8s.api.Lease;
import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.NodeAddress;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.PersistentVolumeClaim;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Tables of nodes, namespaces, events, persistent volume claims and leases. */
public final class ClusterColumns {
  private static final String ROLE_PREFIX = "node-role.kubernetes.io/";

  private ClusterColumns() {}

  /** {@code NAME STATUS ROLES AGE VERSION}, with addresses and system info under -o wide. */
  public static KindColumns<Node> nodes() {
    return KindColumns.of(Node.class)
        .name()
        .column("STATUS", ClusterColumns::nodeStatus)
        .column("ROLES", n -> roles(n.getMetadata().getLabelsMap()))
        .age()
        .column("VERSION", n -> n.getStatus().getNodeInfo().getKubeletVersion())
        .wide("INTERNAL-IP", n -> address(n, "InternalIP"))
        .wide("EXTERNAL-IP", n -> address(n, "ExternalIP"))
        .wide("OS-IMAGE", n -> unknownIfEmpty(n.getStatus().getNodeInfo().getOsImage()))
        .wide("KERNEL-VERSION", n -> unknownIfEmpty(n.getStatus().getNodeInfo().getKernelVersion()))
        .wide("CONTAINER-RUNTIME", n -> unknownIfEmpty(n.getStatus().getNodeInfo().getContainerRuntimeVersion()))
        .build();
  }

  /** {@code NAME STATUS AGE}. */
  public static KindColumns<Namespace> namespaces() {
    return KindColumns.of(Namespace.class)
        .name()
        .column("STATUS", n -> n.getStatus().getPhase().isEmpty() ? "Active" : n.getStatus().getPhase())
        .age()
        .build();
  }

  /** {@code LAST SEEN TYPE REASON OBJECT MESSAGE}; -o wide adds the source, first sighting, count and name. */
  public static KindColumns<Event> events() {
    return KindColumns.of(Event.class)
        .column("LAST SEEN", ClusterColumns::lastSeen)
        .column("TYPE", Event::getType)
        .column("REASON", Event::getReason)
        .column("OBJECT", e -> e.getInvolvedObject().getKind().toLowerCase(Locale.ROOT) + "/" + e.getInvolvedObject().getName())
        .wide("SUBOBJECT", e -> e.getInvolvedObject().getFieldPath())
        .wide("SOURCE", ClusterColumns::source)
        .column("MESSAGE", e -> e.getMessage().strip())
        .wide("FIRST SEEN", (e, now) -> Age.since(firstSeen(e), now))
        .wide("COUNT", e -> Integer.toString(e.getCount()))
        .wide("NAME", e -> e.getMetadata().getName())
        .build();
  }

  /** {@code NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS AGE}. */
  public static KindColumns<PersistentVolumeClaim> persistentVolumeClaims() {
    return KindColumns.of(PersistentVolumeClaim.class)
        .name()
        .column("STATUS", c -> c.getStatus().getPhase().isEmpty() ? "Pending" : c.getStatus().getPhase())
        .column("VOLUME", c -> c.getSpec().getVolumeName())
        .column("CAPACITY", c -> c.getStatus().getCapacityOrDefault("storage", ""))
        .column("ACCESS MODES", c -> Format.accessModes(c.getStatus().getAccessModesList()))
        .column("STORAGECLASS", c -> c.getSpec().getStorageClassName())
        .age()
        .wide("VOLUMEMODE", c -> c.getSpec().getVolumeMode().isEmpty() ? "<unset>" : c.getSpec().getVolumeMode())
        .build();
  }

  /** {@code NAME HOLDER AGE}. */
  public static KindColumns<Lease> leases() {
    return KindColumns.of(Lease.class)
        .name()
        .column("HOLDER", l -> l.getSpec().getHolderIdentity())
        .age()
        .build();
  }

  /** Ready, NotReady or Unknown from the Ready condition, plus {@code ,SchedulingDisabled} when cordoned. */
  public static String nodeStatus(Node n) {
    String status = "Unknown";
    for (NodeCondition c : n.getStatus().getConditionsList()) {
      if (c.getType().equals("Ready")) {
        status = switch (c.getStatus()) {
          case "True" -> "Ready";
          case "False" -> "NotReady";
          default -> "Unknown";
        };
      }
    }
    return n.getSpec().getUnschedulable() ? status + ",SchedulingDisabled" : status;
  }

  /** The roles from {@code node-role.kubernetes.io/ROLE} labels, sorted; {@code <none>} without any. */
  public static String roles(Map<String, String> labels) {
    TreeSet<String> roles = new TreeSet<>();
    labels.forEach((k, v) -> {
      if (k.startsWith(ROLE_PREFIX) && k.length() > ROLE_PREFIX.length()) {
        roles.add(k.substring(ROLE_PREFIX.length()));
      } else if (k.equals("kubernetes.io/role") && !v.isEmpty()) {
        roles.add(v);
      }
    });
    return roles.isEmpty() ? Format.NONE : String.join(",", roles);
  }

  private static String address(Node n, String type) {
    List<String> found = new ArrayList<>();
    for (NodeAddress a : n.getStatus().getAddressesList()) {
      if (a.getType().equals(type)) {
        found.add(a.getAddress());
      }
    }
    return Format.orNone(String.join(",", found));
  }

  private static String unknownIfEmpty(String s) {
    return s.isEmpty() ? "<unknown>" : s;
  }

  /** When the event was last seen, and how often over how long if it repeated: {@code 2m (x4 over 10m)}. */
  public static String lastSeen(Event e, Instant now) {
    String last = Age.since(lastTimestamp(e), now);
    if (e.getCount() > 1 && !e.getFirstTimestamp().isEmpty()) {
      return last + " (x" + e.getCount() + " over " + Age.since(e.getFirstTimestamp(), now) + ")";
    }
    return last;
  }

  /** The newest of the event's timestamps that is set. */
  public static String lastTimestamp(Event e) {
    if (!e.getLastTimestamp().isEmpty()) {
      return e.getLastTimestamp();
    }
    if (!e.getEventTime().isEmpty()) {
      return e.getEventTime();
    }
    return e.getMetadata().getCreationTimestamp();
  }

  private static String firstSeen(Event e) {
    return e.getFirstTimestamp().isEmpty() ? lastTimestamp(e) : e.getFirstTimestamp();
  }

  /** {@code kubelet, node-1}: the component that reported the event and on which host. */
  public static String source(Event e) {
    String component = e.getSource().getComponent().isEmpty() ? e.getReportingComponent() : e.getSource().getComponent();
    return e.getSource().getHost().isEmpty() ? component : component + ", " + e.getSource().getHost();
  }
}
