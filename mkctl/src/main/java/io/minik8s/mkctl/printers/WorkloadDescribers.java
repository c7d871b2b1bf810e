package io.minik8s.mkctl.printers;

import io.minik8s.client.printers.WorkloadColumns;
import io.minik8s.client.printers.Format;
import com.google.protobuf.Message;
import io.minik8s.api.Condition;
import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentCondition;
import io.minik8s.api.IntOrString;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.Pod;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.StatefulSet;
import io.minik8s.client.api.Resources;
import io.minik8s.client.labels.Selector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code describe} of deployments, replica sets and stateful sets. */
public final class WorkloadDescribers {
  static final String REVISION = "deployment.kubernetes.io/revision";
  private static final String HASH_LABEL = "pod-template-hash";

  static final Describer<Deployment> DEPLOYMENT = WorkloadDescribers::deployment;
  static final Describer<ReplicaSet> REPLICA_SET = WorkloadDescribers::replicaSet;
  static final Describer<StatefulSet> STATEFUL_SET = WorkloadDescribers::statefulSet;

  private WorkloadDescribers() {}

  static void deployment(Deployment d, DescribeWriter w, Describer.Context ctx) {
    var spec = d.getSpec();
    var st = d.getStatus();
    w.field(0, "Name", d.getMetadata().getName());
    w.field(0, "Namespace", d.getMetadata().getNamespace());
    w.field(0, "CreationTimestamp", Describers.time(d.getMetadata().getCreationTimestamp(), ctx));
    w.labels(0, "Labels", d.getMetadata().getLabelsMap());
    w.annotations(0, "Annotations", d.getMetadata().getAnnotationsMap());
    w.field(0, "Selector", Format.selector(spec.getSelector()));
    w.field(0, "Replicas", WorkloadColumns.desired(spec.hasReplicas(), spec.getReplicas()) + " desired | "
        + st.getUpdatedReplicas() + " updated | " + st.getReplicas() + " total | "
        + st.getAvailableReplicas() + " available | " + st.getUnavailableReplicas() + " unavailable");
    String strategy = spec.getStrategy().getType().isEmpty() ? "RollingUpdate" : spec.getStrategy().getType();
    w.field(0, "StrategyType", strategy);
    w.field(0, "MinReadySeconds", spec.getMinReadySeconds());
    if (strategy.equals("RollingUpdate")) {
      var ru = spec.getStrategy().getRollingUpdate();
      w.field(0, "RollingUpdateStrategy", intOrPercent(ru.hasMaxUnavailable() ? ru.getMaxUnavailable() : null)
          + " max unavailable, " + intOrPercent(ru.hasMaxSurge() ? ru.getMaxSurge() : null) + " max surge");
    }
    PodDescriber.template(w, spec.getTemplate(), ctx);
    if (st.getConditionsCount() > 0) {
      w.section(0, "Conditions");
      w.raw(1, "Type\tStatus\tReason");
      w.raw(1, "----\t------\t------");
      for (DeploymentCondition c : st.getConditionsList()) {
        w.raw(1, c.getType() + "\t" + c.getStatus() + "\t" + c.getReason());
      }
    }
    List<ReplicaSet> owned = new ArrayList<>();
    for (Message m : ctx.lookup().list(Resources.REPLICA_SETS, d.getMetadata().getNamespace(), "", "")) {
      ReplicaSet rs = (ReplicaSet) m;
      if (controlledBy(rs.getMetadata(), d.getMetadata().getUid())) {
        owned.add(rs);
      }
    }
    ReplicaSet newest = newReplicaSet(d, owned);
    List<String> old = new ArrayList<>();
    for (ReplicaSet rs : owned) {
      if (rs != newest && (rs.getStatus().getReplicas() > 0 || rs.getSpec().getReplicas() > 0)) {
        old.add(replicaSetSummary(rs));
      }
    }
    w.field(0, "OldReplicaSets", old.isEmpty() ? Format.NONE : String.join(", ", old));
    w.field(0, "NewReplicaSet", newest == null ? Format.NONE : replicaSetSummary(newest));
  }

  /** The replica set running the deployment's current template, else the one of the highest revision. */
  static ReplicaSet newReplicaSet(Deployment d, List<ReplicaSet> owned) {
    for (ReplicaSet rs : owned) {
      if (withoutHash(rs.getSpec().getTemplate()).equals(withoutHash(d.getSpec().getTemplate()))) {
        return rs;
      }
    }
    return owned.stream()
        .max(Comparator.comparingLong(rs -> parseLong(rs.getMetadata().getAnnotationsOrDefault(REVISION, "0"))))
        .orElse(null);
  }

  private static PodTemplateSpec withoutHash(PodTemplateSpec t) {
    return t.toBuilder().setMetadata(t.getMetadata().toBuilder().removeLabels(HASH_LABEL)).build();
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String replicaSetSummary(ReplicaSet rs) {
    return rs.getMetadata().getName() + " (" + rs.getStatus().getReplicas() + "/"
        + WorkloadColumns.desired(rs.getSpec().hasReplicas(), rs.getSpec().getReplicas()) + " replicas created)";
  }

  /** {@code 25%} (the default) or the value given. */
  private static String intOrPercent(IntOrString v) {
    if (v == null) {
      return "25%";
    }
    return v.hasStrVal() ? v.getStrVal() : Integer.toString(v.getIntVal());
  }

  static void replicaSet(ReplicaSet rs, DescribeWriter w, Describer.Context ctx) {
    var meta = rs.getMetadata();
    w.field(0, "Name", meta.getName());
    w.field(0, "Namespace", meta.getNamespace());
    w.field(0, "Selector", Format.selector(rs.getSpec().getSelector()));
    w.labels(0, "Labels", meta.getLabelsMap());
    w.annotations(0, "Annotations", meta.getAnnotationsMap());
    String owner = Describers.controlledBy(meta);
    if (owner != null) {
      w.field(0, "Controlled By", owner);
    }
    w.field(0, "Replicas", rs.getStatus().getReplicas() + " current / "
        + WorkloadColumns.desired(rs.getSpec().hasReplicas(), rs.getSpec().getReplicas()) + " desired");
    w.field(0, "Pods Status", podsStatus(ctx, meta, rs.getSpec().getSelector()));
    PodDescriber.template(w, rs.getSpec().getTemplate(), ctx);
    conditions(w, rs.getStatus().getConditionsList());
  }

  static void statefulSet(StatefulSet s, DescribeWriter w, Describer.Context ctx) {
    var meta = s.getMetadata();
    var spec = s.getSpec();
    w.field(0, "Name", meta.getName());
    w.field(0, "Namespace", meta.getNamespace());
    w.field(0, "CreationTimestamp", Describers.time(meta.getCreationTimestamp(), ctx));
    w.field(0, "Selector", Format.selector(spec.getSelector()));
    w.labels(0, "Labels", meta.getLabelsMap());
    w.annotations(0, "Annotations", meta.getAnnotationsMap());
    w.field(0, "Replicas", WorkloadColumns.desired(spec.hasReplicas(), spec.getReplicas()) + " desired | "
        + s.getStatus().getReplicas() + " total");
    String strategy = spec.getUpdateStrategy().getType().isEmpty() ? "RollingUpdate" : spec.getUpdateStrategy().getType();
    w.field(0, "Update Strategy", strategy);
    if (strategy.equals("RollingUpdate")) {
      var ru = spec.getUpdateStrategy().getRollingUpdate();
      w.field(1, "Partition", ru.hasPartition() ? ru.getPartition() : 0);
    }
    if (!spec.getServiceName().isEmpty()) {
      w.field(0, "Service Name", spec.getServiceName());
    }
    w.field(0, "Pods Status", podsStatus(ctx, meta, spec.getSelector()));
    PodDescriber.template(w, spec.getTemplate(), ctx);
    if (spec.getVolumeClaimTemplatesCount() == 0) {
      w.field(0, "Volume Claims", Format.NONE);
    } else {
      w.section(0, "Volume Claims");
      for (PersistentVolumeClaim pvc : spec.getVolumeClaimTemplatesList()) {
        w.field(1, "Name", pvc.getMetadata().getName());
        w.field(1, "StorageClass", pvc.getSpec().getStorageClassName());
        w.labels(1, "Labels", pvc.getMetadata().getLabelsMap());
        w.annotations(1, "Annotations", pvc.getMetadata().getAnnotationsMap());
        w.field(1, "Capacity", pvc.getSpec().getResources().getRequestsOrDefault("storage", ""));
        w.field(1, "Access Modes", pvc.getSpec().getAccessModesList());
      }
    }
    conditions(w, s.getStatus().getConditionsList());
  }

  /** {@code 3 Running / 0 Waiting / 0 Succeeded / 0 Failed} over the pods the object controls. */
  static String podsStatus(Describer.Context ctx, ObjectMeta owner, LabelSelector selector) {
    int running = 0;
    int waiting = 0;
    int succeeded = 0;
    int failed = 0;
    Selector sel;
    try {
      sel = Selector.from(selector);
    } catch (IllegalArgumentException e) {
      sel = null;
    }
    String selectorText = sel == null ? "" : sel.toString();
    for (Message m : ctx.lookup().list(Resources.PODS, owner.getNamespace(), selectorText, "")) {
      Pod p = (Pod) m;
      if (!controlledBy(p.getMetadata(), owner.getUid())) {
        continue;
      }
      switch (p.getStatus().getPhase()) {
        case "Running" -> running++;
        case "Succeeded" -> succeeded++;
        case "Failed" -> failed++;
        default -> waiting++;
      }
    }
    return running + " Running / " + waiting + " Waiting / " + succeeded + " Succeeded / " + failed + " Failed";
  }

  private static boolean controlledBy(ObjectMeta meta, String ownerUid) {
    for (OwnerReference o : meta.getOwnerReferencesList()) {
      if (o.getUid().equals(ownerUid) && (!o.hasController() || o.getController())) {
        return true;
      }
    }
    return false;
  }

  static void conditions(DescribeWriter w, List<Condition> conditions) {
    if (conditions.isEmpty()) {
      return;
    }
    w.section(0, "Conditions");
    w.raw(1, "Type\tStatus\tReason");
    w.raw(1, "----\t------\t------");
    for (Condition c : conditions) {
      w.raw(1, c.getType() + "\t" + c.getStatus() + "\t" + c.getReason());
    }
  }
}
