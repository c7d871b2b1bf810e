package io.minik8s.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Container;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.kubelet.prober.ProbeResults;
import io.minik8s.kubelet.volume.VolumeManager;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodSyncerTest {
  @TempDir Path root;
  final FakeRuntime runtime = new FakeRuntime();
  final List<String> events = new ArrayList<>();

  PodSyncer syncer() {
    VolumeManager volumes = new VolumeManager(root, runtime, "n1");
    ContainerFactory factory = new ContainerFactory("n1", "minik8s-n1", "registry.k8s.io/pause:3.10", "127.0.0.1", volumes,
        "10.96.0.10", "cluster.local", ns -> java.util.List.of());
    return new PodSyncer("n1", runtime, volumes, factory, ProbeResults.NONE,
        (pod, type, reason, message) -> events.add(reason), "127.0.0.1", Clock.systemUTC(),
        Duration.ofSeconds(10), Duration.ofMinutes(5));
  }

  static Pod pod(String policy, String image) {
    return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("p").setNamespace("ns").setUid("u1"))
        .setSpec(PodSpec.newBuilder().setRestartPolicy(policy)
            .addContainers(Container.newBuilder().setName("main").setImage(image)))
        .build();
  }

  @Test
  void startsTheSandboxThenTheContainerAndReportsRunning() {
    PodSyncer.Result r = syncer().sync(pod("Always", "busybox:1"));
    assertThat(runtime.actions).containsExactly("create POD", "start POD", "create main", "start main");
    assertThat(r.status().getPhase()).isEqualTo("Running");
    assertThat(r.status().getPodIp()).isEqualTo("10.0.0.2");
    assertThat(r.status().getContainerStatuses(0).getReady()).isTrue();
  }

  @Test
  void doesNothingWhenEverythingRuns() {
    PodSyncer s = syncer();
    s.sync(pod("Always", "busybox:1"));
    runtime.actions.clear();
    s.sync(pod("Always", "busybox:1"));
    assertThat(runtime.actions).isEmpty();
  }

  @Test
  void restartsOnceAtOnceThenBacksOffWithCrashLoopBackOff() {
    PodSyncer s = syncer();
    s.sync(pod("Always", "busybox:1"));
    runtime.exit("main", 1);
    s.sync(pod("Always", "busybox:1"));
    assertThat(runtime.count("start main")).isEqualTo(2);
    runtime.exit("main", 1);
    PodSyncer.Result r = s.sync(pod("Always", "busybox:1"));
    assertThat(runtime.count("start main")).isEqualTo(2);
    assertThat(r.requeueAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10));
    assertThat(r.status().getContainerStatuses(0).getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(r.status().getContainerStatuses(0).getRestartCount()).isEqualTo(1);
    assertThat(r.status().getContainerStatuses(0).getLastState().getTerminated().getExitCode()).isEqualTo(1);
  }

  @Test
  void neverRestartsAndTheFailedPodReleasesItsSandbox() {
    PodSyncer s = syncer();
    s.sync(pod("Never", "busybox:1"));
    runtime.exit("main", 2);
    PodSyncer.Result r = s.sync(pod("Never", "busybox:1"));
    assertThat(runtime.count("start main")).isEqualTo(1);
    assertThat(runtime.actions).contains("stop POD 1");
    assertThat(r.status().getPhase()).isEqualTo("Failed");
  }

  @Test
  void aFailedPullIsErrImagePullThenImagePullBackOff() {
    PodSyncer s = syncer();
    PodSyncer.Result first = s.sync(pod("Always", "nowhere:1"));
    assertThat(first.status().getContainerStatuses(0).getState().getWaiting().getReason()).isEqualTo("ErrImagePull");
    PodSyncer.Result second = s.sync(pod("Always", "nowhere:1"));
    assertThat(second.status().getContainerStatuses(0).getState().getWaiting().getReason()).isEqualTo("ImagePullBackOff");
    assertThat(runtime.count("pull")).isEqualTo(1);
    assertThat(second.status().getPhase()).isEqualTo("Pending");
  }

  @Test
  void killStopsContainersBeforeTheSandboxAndRemovesThem() {
    PodSyncer s = syncer();
    s.sync(pod("Always", "busybox:1"));
    runtime.actions.clear();
    s.kill("u1", pod("Always", "busybox:1"), 7);
    assertThat(runtime.actions).containsSubsequence("stop main 7", "stop POD 2", "remove POD");
    assertThat(runtime.containers).isEmpty();
  }

  @Test
  void aSubPathLeadingOutOfItsVolumeKeepsTheContainerFromBeingCreated() throws Exception {
    Pod pod = pod("Always", "busybox:1");
    pod = pod.toBuilder().setSpec(pod.getSpec().toBuilder()
        .addVolumes(io.minik8s.api.Volume.newBuilder().setName("scratch")
            .setEmptyDir(io.minik8s.api.EmptyDirVolumeSource.getDefaultInstance()))
        .setContainers(0, pod.getSpec().getContainers(0).toBuilder().addVolumeMounts(
            io.minik8s.api.VolumeMount.newBuilder().setName("scratch").setMountPath("/x").setSubPath("evil")))).build();
    PodSyncer s = syncer();
    java.nio.file.Path volume = root.resolve("pods/u1/volumes/empty-dir/scratch");
    java.nio.file.Files.createDirectories(volume);
    java.nio.file.Files.createSymbolicLink(volume.resolve("evil"), java.nio.file.Path.of("/"));

    PodSyncer.Result r = s.sync(pod);

    assertThat(runtime.actions).doesNotContain("create main");
    assertThat(r.status().getContainerStatuses(0).getState().getWaiting().getReason()).isEqualTo("CreateContainerConfigError");
    assertThat(r.status().getContainerStatuses(0).getState().getWaiting().getMessage()).contains("not within volume path");
    assertThat(events).contains("Failed");
  }
}
