package io.minik8s.e2e;

import static io.minik8s.e2e.KubeletFixture.sh;
import static io.minik8s.e2e.KubeletFixture.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Pod;
import io.minik8s.client.api.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kubelet as a real process (the shaded jar), killed with SIGKILL and started again: it
 * adopts its running containers by their labels and cleans up a pod deleted while it was down.
 */
class KubeletProcessRestartTest {
  static KubeletFixture f;
  static Process kubelet;

  @BeforeAll
  static void start() throws Exception {
    f = new KubeletFixture("kl-kill");
    kubelet = launch();
  }

  @AfterAll
  static void stop() throws Exception {
    if (kubelet != null) {
      kubelet.destroyForcibly().waitFor();
    }
    f.close();
  }

  static Process launch() throws Exception {
    Path jar = Path.of("..", "kubelet", "target", "kubelet-0.1.0-SNAPSHOT-all.jar").toAbsolutePath().normalize();
    assertThat(jar).as("the kubelet's shaded jar (built by the reactor before e2e)").exists();
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = f.rootDir.resolve("kubelet.log");
    List<String> cmd = new ArrayList<>(List.of(java, "-jar", jar.toString(), "--node-name", f.node,
        "--api-servers", f.cp.server(), "--address", "127.0.0.1", "--port", "0", "--health-port", "0",
        "--node-ip", "127.0.0.1", "--root-dir", f.rootDir.toString(),
        // no controller-manager gives this node a pod CIDR: do not wait the default 2 minutes for one
        "--pod-cidr-wait", "0"));
    cmd.addAll(TestPki.componentFlags(TestPki.shared().node(f.node)));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  @Test
  void aKilledKubeletAdoptsItsContainersAndCleansUpPodsDeletedMeanwhile() throws Exception {
    f.create(KubeletFixture.pod("survivor", "Always", sh("main", "exec sleep 3600")));
    f.create(KubeletFixture.pod("doomed", "Always", sh("main", "exec sleep 3600")));
    Pod before = f.await("survivor", Duration.ofSeconds(90), p -> KubeletFixture.running(p) && status(p, "main").getReady());
    f.await("doomed", Duration.ofSeconds(90), KubeletFixture::running);
    List<String> runningBefore = f.containerIds(false);
    assertThat(runningBefore).hasSize(4);

    kubelet.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs
    f.client.delete(Resources.PODS, f.namespace, "doomed");
    assertThat(f.find("doomed")).as("Terminating until a kubelet confirms").isPresent();
    kubelet = launch();

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions().until(() -> f.find("doomed").isEmpty() && f.containerIds(true).size() == 2);
    String survivorId = status(before, "main").getContainerId().replace("docker://", "");
    assertThat(f.containerIds(false)).contains(survivorId).hasSize(2);
    assertThat(runningBefore).containsAll(f.containerIds(false));
    Pod after = f.get("survivor");
    assertThat(status(after, "main").getContainerId()).isEqualTo(status(before, "main").getContainerId());
    assertThat(status(after, "main").getRestartCount()).isZero();
    assertThat(after.getStatus().getConditionsList()).anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    assertThat(after.getStatus().getPodIp()).isEqualTo(before.getStatus().getPodIp());
    assertThat(Files.readString(f.rootDir.resolve("kubelet.log"))).contains("started");
  }
}
