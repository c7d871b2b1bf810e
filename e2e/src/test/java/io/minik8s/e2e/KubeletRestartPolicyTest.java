package io.minik8s.e2e;

import static io.minik8s.e2e.KubeletFixture.sh;
import static io.minik8s.e2e.KubeletFixture.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Container;
import io.minik8s.api.ExecAction;
import io.minik8s.api.Pod;
import io.minik8s.api.Probe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** restartPolicy, crash-loop back-off, liveness and readiness probes, on real containers. */
class KubeletRestartPolicyTest {
  static KubeletFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new KubeletFixture("kl-restart").start();
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  @Test
  void neverAndOnFailureEndThePodAlwaysCrashLoopsWithGrowingBackOff() {
    f.create(KubeletFixture.pod("never", "Never", sh("main", "exit 3")));
    f.create(KubeletFixture.pod("onfailure", "OnFailure", sh("main", "exit 0")));
    f.create(KubeletFixture.pod("crash", "Always", sh("main", "echo crashing; exit 1")));

    Pod never = f.await("never", Duration.ofSeconds(60), p -> p.getStatus().getPhase().equals("Failed"));
    assertThat(status(never, "main").getRestartCount()).isZero();
    assertThat(status(never, "main").getState().getTerminated().getExitCode()).isEqualTo(3);
    Pod done = f.await("onfailure", Duration.ofSeconds(60), p -> p.getStatus().getPhase().equals("Succeeded"));
    assertThat(status(done, "main").getState().getTerminated().getReason()).isEqualTo("Completed");

    // Restarts at about 0 s, 10 s, 30 s: the waits between restarts grow.
    List<Instant> restarts = new ArrayList<>();
    int[] seen = {-1};
    boolean[] backOff = {false};
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300))
        .ignoreExceptions().until(() -> {
          Pod p = f.get("crash");
          int count = status(p, "main").getRestartCount();
          if (count != seen[0]) {
            seen[0] = count;
            restarts.add(Instant.now());
          }
          if (status(p, "main").getState().getWaiting().getReason().equals("CrashLoopBackOff")) {
            backOff[0] = true;
            assertThat(status(p, "main").getLastState().getTerminated().getExitCode()).isEqualTo(1);
          }
          return count >= 3;
        });
    assertThat(backOff[0]).as("waiting reason CrashLoopBackOff seen").isTrue();
    int n = restarts.size();
    Duration last = Duration.between(restarts.get(n - 2), restarts.get(n - 1));
    Duration before = Duration.between(restarts.get(n - 3), restarts.get(n - 2));
    assertThat(last).isGreaterThan(before);
    assertThat(last).isGreaterThanOrEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void livenessFailureRestartsAndReadinessFailureClearsReady() throws Exception {
    Probe liveness = Probe.newBuilder().setExec(ExecAction.newBuilder().addCommand("test").addCommand("-f").addCommand("/tmp/alive"))
        .setPeriodSeconds(1).setFailureThreshold(2).setSuccessThreshold(1).setTimeoutSeconds(2).build();
    Container live = Container.newBuilder(sh("main", "touch /tmp/alive; sleep 4; rm /tmp/alive; exec sleep 3600"))
        .setLivenessProbe(liveness).build();
    f.create(KubeletFixture.pod("liveness", "Always", live));

    Probe readiness = Probe.newBuilder().setExec(ExecAction.newBuilder().addCommand("test").addCommand("-f").addCommand("/tmp/ready"))
        .setPeriodSeconds(1).setFailureThreshold(1).setSuccessThreshold(1).setTimeoutSeconds(2).build();
    Container ready = Container.newBuilder(sh("main", "touch /tmp/ready; exec sleep 3600")).setReadinessProbe(readiness).build();
    f.create(KubeletFixture.pod("readiness", "Always", ready));

    Pod r = f.await("readiness", Duration.ofSeconds(60), p -> status(p, "main").getReady());
    assertThat(r.getStatus().getConditionsList()).anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    String id = status(r, "main").getContainerId().replace("docker://", "");
    assertThat(f.exec(id, "rm", "/tmp/ready")).isEmpty();
    Pod notReady = f.await("readiness", Duration.ofSeconds(30), p -> p.getStatus().getConditionsList().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("False")));
    assertThat(status(notReady, "main").getReady()).isFalse();
    assertThat(status(notReady, "main").getState().hasRunning()).isTrue();
    assertThat(status(notReady, "main").getRestartCount()).isZero();

    Pod restarted = f.await("liveness", Duration.ofSeconds(60), p -> status(p, "main").getRestartCount() >= 1
        && status(p, "main").getState().hasRunning());
    assertThat(status(restarted, "main").getLastState().hasTerminated()).isTrue();
  }
}
