package io.minik8s.apiserver.admission;

import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentStrategy;
import io.minik8s.api.IntOrString;
import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.RollingUpdateDeployment;
import io.minik8s.api.StatefulSet;
import io.minik8s.api.StatefulSetSpec;
import io.minik8s.api.StatefulSetUpdateStrategy;

/**
 * apps/v1 defaults. The selector is never defaulted: apps/v1 requires it to be written.
 *
 * <p>Mirrors Kubernetes' pkg/apis/apps/v1/defaults.go.
 */
final class AppsDefaulting {
  private static final IntOrString TWENTY_FIVE_PERCENT = IntOrString.newBuilder().setStrVal("25%").build();

  private AppsDefaulting() {}

  static ReplicaSet replicaSet(ReplicaSet rs) {
    ReplicaSet.Builder b = rs.toBuilder();
    var spec = b.getSpecBuilder();
    if (!spec.hasReplicas()) {
      spec.setReplicas(1);
    }
    PodDefaulting.podSpec(spec.getTemplateBuilder().getSpecBuilder());
    return b.build();
  }

  static Deployment deployment(Deployment d) {
    Deployment.Builder b = d.toBuilder();
    var spec = b.getSpecBuilder();
    if (!spec.hasReplicas()) {
      spec.setReplicas(1);
    }
    strategy(spec.getStrategyBuilder());
    if (!spec.hasRevisionHistoryLimit()) {
      spec.setRevisionHistoryLimit(10);
    }
    if (!spec.hasProgressDeadlineSeconds()) {
      spec.setProgressDeadlineSeconds(600);
    }
    PodDefaulting.podSpec(spec.getTemplateBuilder().getSpecBuilder());
    return b.build();
  }

  private static void strategy(DeploymentStrategy.Builder s) {
    if (s.getType().isEmpty()) {
      s.setType("RollingUpdate");
    }
    // Recreate keeps no rollingUpdate: validation rejects one there
    if (s.getType().equals("RollingUpdate")) {
      RollingUpdateDeployment.Builder ru = s.getRollingUpdateBuilder();
      if (!ru.hasMaxUnavailable()) {
        ru.setMaxUnavailable(TWENTY_FIVE_PERCENT);
      }
      if (!ru.hasMaxSurge()) {
        ru.setMaxSurge(TWENTY_FIVE_PERCENT);
      }
    }
  }

  static StatefulSet statefulSet(StatefulSet sts) {
    StatefulSet.Builder b = sts.toBuilder();
    StatefulSetSpec.Builder spec = b.getSpecBuilder();
    if (spec.getPodManagementPolicy().isEmpty()) {
      spec.setPodManagementPolicy("OrderedReady");
    }
    updateStrategy(spec.getUpdateStrategyBuilder());
    var retention = spec.getPersistentVolumeClaimRetentionPolicyBuilder();
    if (retention.getWhenDeleted().isEmpty()) {
      retention.setWhenDeleted("Retain");
    }
    if (retention.getWhenScaled().isEmpty()) {
      retention.setWhenScaled("Retain");
    }
    if (!spec.hasReplicas()) {
      spec.setReplicas(1);
    }
    if (!spec.hasRevisionHistoryLimit()) {
      spec.setRevisionHistoryLimit(10);
    }
    for (PersistentVolumeClaim.Builder claim : spec.getVolumeClaimTemplatesBuilderList()) {
      if (claim.getSpec().getVolumeMode().isEmpty()) {
        claim.getSpecBuilder().setVolumeMode("Filesystem");
      }
    }
    PodDefaulting.podSpec(spec.getTemplateBuilder().getSpecBuilder());
    return b.build();
  }

  /** As Kubernetes: a rollingUpdate block is created only when the type itself was defaulted. */
  private static void updateStrategy(StatefulSetUpdateStrategy.Builder s) {
    if (s.getType().isEmpty()) {
      s.setType("RollingUpdate");
      s.getRollingUpdateBuilder();
    }
    if (s.getType().equals("RollingUpdate") && s.hasRollingUpdate() && !s.getRollingUpdate().hasPartition()) {
      s.getRollingUpdateBuilder().setPartition(0);
    }
  }
}
