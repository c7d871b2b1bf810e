package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.kubelet.KubeletConfig;
import io.minik8s.kubelet.Labels;
import io.minik8s.kubelet.container.ContainerConfig;
import io.minik8s.kubelet.container.DockerRuntime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node's pod network after a churn of pod sandboxes, as the kubelet's pod workers cause when
 * pods start while others go (a rollout; a kubelet restarted after a SIGKILL recreating pods):
 * the sandboxes of one round start while those of the round before are stopped and removed, all
 * at once, through the kubelet's own {@link DockerRuntime}. Afterwards, with every container gone,
 * the network must be removable, as {@code bin/minik8s down} and the next cluster on the same pod
 * CIDR need. Docker 20.10 keeps a count of each network's endpoints apart from the endpoints and
 * loses updates of it when endpoints of one network come and go concurrently; the network then
 * answers "has active endpoints" with none listed, until dockerd restarts.
 */
class PodNetworkChurnTest {
  static final int ROUNDS = 3;
  static final int PODS_PER_ROUND = 12;

  final String node = "pnchurn-" + Long.toString(System.nanoTime() % 1_000_000, 36);
  final String network = "minik8s-" + node;
  /** A /24 of its own in 10.246/16, which no other test uses: a network a failed run leaves does not block the next. */
  final String subnet = "10.246." + ThreadLocalRandom.current().nextInt(256) + ".0/24";

  @AfterEach
  void removeWhatIsLeft() throws Exception {
    String ids = KubeletFixture.docker("ps", "-aq", "--filter", "label=" + Labels.NODE + "=" + node).strip();
    if (!ids.isEmpty()) {
      List<String> rm = new ArrayList<>(List.of("rm", "-f"));
      rm.addAll(ids.lines().toList());
      KubeletFixture.docker(rm.toArray(String[]::new));
    }
    KubeletFixture.docker("network", "rm", network);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void aChurnOfSandboxesLeavesANetworkThatCanBeRemoved() throws Exception {
    TestImages.ensure();
    try (DockerRuntime runtime = new DockerRuntime(KubeletConfig.DEFAULT_DOCKER_HOST)) {
      runtime.ensureNetwork(network, subnet, Map.of(Labels.NODE, node));
      List<String> previous = List.of();
      for (int round = 0; round < ROUNDS; round++) {
        List<String> started = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
          for (int i = 0; i < PODS_PER_ROUND; i++) {
            ContainerConfig sandbox = sandbox(node + "-r" + round + "-p" + i);
            done.add(workers.submit(() -> {
              String id = runtime.createContainer(sandbox);
              runtime.startContainer(id);
              started.add(id);
              return null;
            }));
          }
          for (int i = 0; i < previous.size(); i++) {
            String id = previous.get(i);
            boolean graceful = i % 2 == 0; // a pod's kill stops its sandbox first; an orphan's is removed at once
            done.add(workers.submit(() -> {
              if (graceful) {
                runtime.stopContainer(id, 1);
              }
              runtime.removeContainer(id);
              return null;
            }));
          }
        }
        for (Future<?> f : done) {
          f.get(); // a failed Docker call fails the test here, not silently
        }
        previous = started;
      }
      for (String id : previous) {
        runtime.removeContainer(id);
      }
    }
    assertThat(KubeletFixture.docker("ps", "-aq", "--filter", "label=" + Labels.NODE + "=" + node)).isBlank();
    assertThat(KubeletFixture.docker("network", "inspect", "-f", "{{len .Containers}}", network).strip()).isEqualTo("0");
    assertThat(KubeletFixture.docker("network", "rm", network).strip()).as("docker network rm " + network)
        .isEqualTo(network);
  }

  private ContainerConfig sandbox(String name) {
    return new ContainerConfig(name, TestImages.PAUSE, null, null, List.of(), "",
        Map.of(Labels.NODE, node), List.of(), network, "", 0, 0, null);
  }
}
