package io.minik8s.controllermanager.deployment;

import static io.minik8s.controllermanager.testing.TestObjects.deployment;
import static io.minik8s.controllermanager.testing.TestObjects.intOrString;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Deployment;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.ReplicaSetStatus;
import io.minik8s.controllermanager.testing.TestObjects;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeploymentUtilTest {

  @ParameterizedTest(name = "maxSurge {0}, maxUnavailable {1} of {2} replicas -> surge {3}, unavailable {4}")
  @CsvSource({
      "25%, 25%, 3, 1, 0",    // surge rounds up, unavailable down
      "25%, 25%, 4, 1, 1",
      "25%, 25%, 10, 3, 2",
      "50%, 50%, 5, 3, 2",
      "100%, 0%, 3, 3, 0",
      "1, 0, 3, 1, 0",
      "0, 0, 5, 0, 1",        // never both zero: the rollout could not move
      "0%, 10%, 5, 0, 1",     // 0.5 rounds down to 0, then the fencepost
      "2, 30%, 10, 2, 3",
  })
  void resolvesFencepostsAsKubernetes(String surge, String unavailable, int replicas, int wantSurge, int wantUnavailable) {
    DeploymentUtil.Fenceposts f = DeploymentUtil.resolveFenceposts(intOrString(surge), intOrString(unavailable), replicas);
    assertThat(f).isEqualTo(new DeploymentUtil.Fenceposts(wantSurge, wantUnavailable));
  }

  private static ReplicaSet rs(int spec, int available) {
    return ReplicaSet.newBuilder().setSpec(TestObjects.replicaSet("x", spec, Map.of("a", "b")).getSpec())
        .setStatus(ReplicaSetStatus.newBuilder().setReplicas(spec).setAvailableReplicas(available)).build();
  }

  @ParameterizedTest(name = "old {0}, new {1} of 10 (surge 3): new set may grow to {2}")
  @CsvSource({"10, 0, 3", "10, 3, 3", "8, 3, 5", "0, 8, 10", "5, 10, 10"})
  void newReplicaSetGrowsWithinMaxSurge(int oldReplicas, int newReplicas, int want) {
    Deployment d = deployment("web", 10, "25%", "25%");
    ReplicaSet old = rs(oldReplicas, oldReplicas);
    ReplicaSet fresh = rs(newReplicas, 0);
    assertThat(DeploymentUtil.newRSNewReplicas(d, List.of(old, fresh), fresh)).isEqualTo(want);
  }

  @ParameterizedTest(name = "old {0} (avail {1}), new {2} (avail {3}) of 10, maxUnavailable 2: may scale down {4}")
  @CsvSource({"10, 10, 3, 0, 2", "10, 10, 0, 0, 2", "8, 8, 5, 5, 5", "10, 7, 3, 0, 2", "10, 10, 2, 0, 2"})
  void oldReplicaSetsShrinkOnlyWhileEnoughStayAvailable(int oldSpec, int oldAvail, int newSpec, int newAvail, int want) {
    Deployment d = deployment("web", 10, "25%", "25%");
    ReplicaSet fresh = rs(newSpec, newAvail);
    assertThat(DeploymentUtil.maxScaledDown(d, List.of(rs(oldSpec, oldAvail), fresh), fresh)).isEqualTo(want);
  }
}
