package io.minik8s.kubelet.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.api.Container;
import io.minik8s.api.EmptyDirVolumeSource;
import io.minik8s.api.HostPathVolumeSource;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.Volume;
import io.minik8s.api.VolumeMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subPath stays inside its volume even through symlinks a container planted there, and the
 * create types of hostPath create only under the allowed prefixes.
 */
@Timeout(30)
class VolumeManagerTest {
  @TempDir Path root;
  @TempDir Path outside;
  @TempDir Path allowed;

  VolumeManager volumes() {
    return new VolumeManager(root, null, "n1", List.of(allowed));
  }

  static Pod pod(Volume volume, String subPath) {
    return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("p").setNamespace("ns").setUid("u1"))
        .setSpec(PodSpec.newBuilder().addVolumes(volume).addContainers(Container.newBuilder().setName("main")
            .setImage("busybox").addVolumeMounts(VolumeMount.newBuilder().setName(volume.getName())
                .setMountPath("/data").setSubPath(subPath))))
        .build();
  }

  static Volume emptyDir() {
    return Volume.newBuilder().setName("scratch").setEmptyDir(EmptyDirVolumeSource.getDefaultInstance()).build();
  }

  static Volume hostPath(Path path, String type) {
    return Volume.newBuilder().setName("host")
        .setHostPath(HostPathVolumeSource.newBuilder().setPath(path.toString()).setType(type)).build();
  }

  private Path emptyDirOf(VolumeManager v) {
    return v.podDir("u1").resolve("volumes").resolve("empty-dir").resolve("scratch");
  }

  @Test
  void aSubPathIsCreatedInsideItsVolume() throws Exception {
    VolumeManager v = volumes();
    Pod pod = pod(emptyDir(), "logs/app");
    v.setUp(pod);

    List<String> binds = v.binds(pod, pod.getSpec().getContainers(0));

    Path expected = emptyDirOf(v).toRealPath().resolve("logs/app");
    assertThat(binds).containsExactly(expected + ":/data");
    assertThat(expected).isDirectory();
  }

  @Test
  void aSymlinkPlantedInTheVolumeCannotLeadTheSubPathOut() throws Exception {
    VolumeManager v = volumes();
    Pod pod = pod(emptyDir(), "link/etc");
    v.setUp(pod);
    // what a container of the pod could do inside its own emptyDir
    Files.createSymbolicLink(emptyDirOf(v).resolve("link"), outside);

    assertThatThrownBy(() -> v.binds(pod, pod.getSpec().getContainers(0)))
        .isInstanceOf(UnsafeMountException.class)
        .hasMessageContaining("unable to provision SubPath `link/etc`")
        .hasMessageContaining("not within volume path");
    assertThat(outside.resolve("etc")).as("nothing created outside the volume").doesNotExist();
  }

  @Test
  void aSymlinkAsTheWholeSubPathIsRefusedToo() throws Exception {
    VolumeManager v = volumes();
    Pod pod = pod(emptyDir(), "link");
    v.setUp(pod);
    Files.createSymbolicLink(emptyDirOf(v).resolve("link"), Path.of("/"));

    assertThatThrownBy(() -> v.binds(pod, pod.getSpec().getContainers(0)))
        .isInstanceOf(UnsafeMountException.class).hasMessageContaining("not within volume path");
  }

  @Test
  void aSubPathThatStepsUpIsRefusedEvenIfTheApiServerLetItThrough() throws Exception {
    VolumeManager v = volumes();
    Pod pod = pod(emptyDir(), "../../..");
    v.setUp(pod);

    assertThatThrownBy(() -> v.binds(pod, pod.getSpec().getContainers(0)))
        .isInstanceOf(UnsafeMountException.class).hasMessageContaining("must not contain '..'");
  }

  @Test
  void directoryOrCreateCreatesOnlyUnderAnAllowedPrefix() throws Exception {
    VolumeManager v = volumes();
    Path denied = outside.resolve("made-by-a-pod");
    assertThatThrownBy(() -> v.setUp(pod(hostPath(denied, "DirectoryOrCreate"), "")))
        .isInstanceOf(MountException.class)
        .hasMessageContaining("is not under an allowed prefix (--allowed-host-path-prefixes " + allowed + ")");
    assertThat(denied).doesNotExist();

    Path ok = allowed.resolve("cache/a");
    v.setUp(pod(hostPath(ok, "DirectoryOrCreate"), ""));
    assertThat(ok).isDirectory();

    // a directory that exists is used as it is: there is nothing to create
    v.setUp(pod(hostPath(outside, "DirectoryOrCreate"), ""));
  }

  @Test
  void fileOrCreateThroughASymlinkOutOfThePrefixIsRefused() throws Exception {
    VolumeManager v = volumes();
    Files.createSymbolicLink(allowed.resolve("escape"), outside);
    Path target = allowed.resolve("escape/passwd");

    assertThatThrownBy(() -> v.setUp(pod(hostPath(target, "FileOrCreate"), "")))
        .isInstanceOf(MountException.class).hasMessageContaining("is not under an allowed prefix");
    assertThat(outside.resolve("passwd")).doesNotExist();
  }

  @Test
  void aHostPathWithAColonCannotBecomeADockerBind() throws Exception {
    VolumeManager v = volumes();
    Pod pod = pod(hostPath(Path.of("/tmp:/etc"), ""), "");

    assertThatThrownBy(() -> v.binds(pod, pod.getSpec().getContainers(0)))
        .isInstanceOf(UnsafeMountException.class).hasMessageContaining("':'");
  }
}
