package io.minik8s.mkctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentCondition;
import io.minik8s.api.DeploymentSpec;
import io.minik8s.api.DeploymentStatus;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.StatefulSet;
import io.minik8s.api.StatefulSetSpec;
import io.minik8s.api.StatefulSetStatus;
import org.junit.jupiter.api.Test;

/** rollout status prints kubectl's lines for each state a rollout passes through. */
class RolloutStatusViewTest {
  private static Deployment deployment(long generation, DeploymentStatus.Builder status) {
    return Deployment.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("nginx-deployment").setGeneration(generation))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(3))
        .setStatus(status)
        .build();
  }

  private static String view(Deployment d) {
    return RolloutStatusCommand.deploymentStatus(d).message();
  }

  @Test
  void deploymentLinesAsKubectlPrintsThem() {
    assertThat(view(deployment(2, DeploymentStatus.newBuilder().setObservedGeneration(1))))
        .isEqualTo("Waiting for deployment spec update to be observed...\n");
    assertThat(view(deployment(2, DeploymentStatus.newBuilder().setObservedGeneration(2).setReplicas(4).setUpdatedReplicas(1))))
        .isEqualTo("Waiting for deployment \"nginx-deployment\" rollout to finish: 1 out of 3 new replicas have been updated...\n");
    assertThat(view(deployment(2, DeploymentStatus.newBuilder().setObservedGeneration(2).setReplicas(4).setUpdatedReplicas(3))))
        .isEqualTo("Waiting for deployment \"nginx-deployment\" rollout to finish: 1 old replicas are pending termination...\n");
    assertThat(view(deployment(2, DeploymentStatus.newBuilder().setObservedGeneration(2).setReplicas(3).setUpdatedReplicas(3)
        .setAvailableReplicas(2))))
        .isEqualTo("Waiting for deployment \"nginx-deployment\" rollout to finish: 2 of 3 updated replicas are available...\n");
    RolloutStatusCommand.View done = RolloutStatusCommand.deploymentStatus(deployment(2, DeploymentStatus.newBuilder()
        .setObservedGeneration(2).setReplicas(3).setUpdatedReplicas(3).setAvailableReplicas(3)));
    assertThat(done.message()).isEqualTo("deployment \"nginx-deployment\" successfully rolled out\n");
    assertThat(done.done()).isTrue();
  }

  @Test
  void aDeadlineExceededRolloutIsAnError() {
    Deployment d = deployment(1, DeploymentStatus.newBuilder().setObservedGeneration(1).addConditions(
        DeploymentCondition.newBuilder().setType("Progressing").setStatus("False").setReason("ProgressDeadlineExceeded")));
    assertThatThrownBy(() -> view(d)).isInstanceOf(MkctlException.class)
        .hasMessage("deployment \"nginx-deployment\" exceeded its progress deadline");
  }

  @Test
  void statefulSetLines() {
    StatefulSet s = StatefulSet.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("web").setGeneration(1))
        .setSpec(StatefulSetSpec.newBuilder().setReplicas(3))
        .setStatus(StatefulSetStatus.newBuilder().setObservedGeneration(1).setReadyReplicas(1)).build();
    assertThat(RolloutStatusCommand.statefulSetStatus(s).message()).isEqualTo("Waiting for 2 pods to be ready...\n");
    StatefulSet done = s.toBuilder().setStatus(StatefulSetStatus.newBuilder().setObservedGeneration(1).setReadyReplicas(3)
        .setCurrentReplicas(3).setCurrentRevision("web-abc").setUpdateRevision("web-abc")).build();
    assertThat(RolloutStatusCommand.statefulSetStatus(done).message())
        .isEqualTo("statefulset rolling update complete 3 pods at revision web-abc...\n");
  }
}
