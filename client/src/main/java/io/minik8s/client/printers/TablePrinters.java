package io.minik8s.client.printers;

import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.util.Map;

/** The registry of tables: which columns {@code mkctl get} shows for each kind. */
public final class TablePrinters {
  private static final Map<ResourceType, KindColumns<?>> COLUMNS = Map.ofEntries(
      Map.entry(Resources.PODS, PodColumns.columns()),
      Map.entry(Resources.DEPLOYMENTS, WorkloadColumns.deployments()),
      Map.entry(Resources.REPLICA_SETS, WorkloadColumns.replicaSets()),
      Map.entry(Resources.STATEFUL_SETS, WorkloadColumns.statefulSets()),
      Map.entry(Resources.CONTROLLER_REVISIONS, WorkloadColumns.controllerRevisions()),
      Map.entry(Resources.SERVICES, ServiceColumns.services()),
      Map.entry(Resources.ENDPOINTS, ServiceColumns.endpoints()),
      Map.entry(Resources.NODES, ClusterColumns.nodes()),
      Map.entry(Resources.NAMESPACES, ClusterColumns.namespaces()),
      Map.entry(Resources.EVENTS, ClusterColumns.events()),
      Map.entry(Resources.PERSISTENT_VOLUME_CLAIMS, ClusterColumns.persistentVolumeClaims()),
      Map.entry(Resources.LEASES, ClusterColumns.leases()));

  private static final KindColumns<com.google.protobuf.Message> GENERIC =
      KindColumns.of(com.google.protobuf.Message.class).name().age().build();

  private TablePrinters() {}

  /** The kind's columns; {@code NAME AGE} for a kind without a table of its own. */
  public static KindColumns<?> columnsOf(ResourceType type) {
    KindColumns<?> c = COLUMNS.get(type);
    return c != null ? c : GENERIC;
  }
}
