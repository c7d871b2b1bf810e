package io.minik8s.mkctl;

import io.minik8s.client.printers.Age;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Pod;
import org.junit.jupiter.api.Test;

class DescribeCommandTest {
  private final MkctlRunner mkctl = new MkctlRunner();

  @Test
  void describesAPodWithItsContainersAndOnlyItsOwnEvents() {
    Pod pod = mkctl.cluster.put(TestObjects.runningPod("default", "web-0", "web"));
    String uid = pod.getMetadata().getUid();
    mkctl.cluster.put(TestObjects.event("default", "web-0.1", "Pod", "web-0", uid, "Scheduled",
        "Successfully assigned default/web-0 to node-1"));
    mkctl.cluster.put(TestObjects.event("default", "web-1.1", "Pod", "web-1", "other", "Scheduled", "elsewhere"));

    MkctlRunner.Result r = mkctl.run("describe", "pod", "web-0");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .startsWith("Name:         web-0\nNamespace:    default\n")
        .contains("Node:         node-1/192.168.0.11\n")
        .contains("Status:       Running\n")
        .contains("IP:           10.244.1.5\n")
        .contains("Containers:\n  nginx:\n    Image:          nginx:1.15.4\n")
        .contains("    Port:           80/TCP\n")
        .contains("    State:          Running\n")
        .contains("    Ready:          True\n")
        .contains("    Restart Count:  0\n")
        .contains("""
            Events:
              Type    Reason     Age   From               Message
              ----    ------     ----  ----               -------
              Normal  Scheduled  10s   default-scheduler  Successfully assigned default/web-0 to node-1
            """)
        .doesNotContain("elsewhere");
  }

  @Test
  void aNameThatMatchesNothingExactlyIsAPrefix() {
    mkctl.cluster.put(TestObjects.runningPod("default", "web-0", "web"));
    mkctl.cluster.put(TestObjects.runningPod("default", "web-1", "web"));

    MkctlRunner.Result r = mkctl.run("describe", "pods", "web");

    assertThat(r.out()).contains("Name:         web-0").contains("Name:         web-1").containsPattern("(?m)^Events: +<none>$");
  }

  @Test
  void anUnknownNameIsNotFound() {
    MkctlRunner.Result r = mkctl.run("describe", "deploy", "nope");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("Error from server (NotFound): deployments.apps \"nope\" not found\n");
  }

  @Test
  void describesADeploymentWithReplicasAndTemplate() {
    mkctl.cluster.put(TestObjects.deployment("default", "web", 3));

    MkctlRunner.Result r = mkctl.run("describe", "deployment", "web");

    assertThat(r.out()).contains("Replicas:", "3 desired | 0 updated | 0 total | 0 available | 0 unavailable",
        "StrategyType:", "RollingUpdate", "Pod Template:", "nginx:1.15.4", "NewReplicaSet:");
  }
}
