package io.minik8s.kubelet.volume;

import io.minik8s.api.Container;
import io.minik8s.api.Pod;
import io.minik8s.api.Volume;
import io.minik8s.api.VolumeMount;
import io.minik8s.kubelet.Labels;
import io.minik8s.kubelet.container.ContainerRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Makes a pod's volumes exist on the host before its containers start, and turns volume mounts
 * into Docker binds. emptyDir is a directory under the kubelet's root dir that lives as long as
 * the pod; hostPath is the host's own path; a persistentVolumeClaim is a named Docker volume
 * {@code pvc-<namespace>-<claim>} that outlives the pod, as a StatefulSet's storage must.
 */
public final class VolumeManager {
  private final Path rootDir;
  private final ContainerRuntime runtime;
  private final String nodeName;

  public VolumeManager(Path rootDir, ContainerRuntime runtime, String nodeName) {
    this.rootDir = rootDir;
    this.runtime = runtime;
    this.nodeName = nodeName;
  }

  public Path podDir(String uid) {
    return rootDir.resolve("pods").resolve(uid);
  }

  /** Creates what the pod's volumes need; a volume that cannot be provided is a {@link MountException}. */
  public void setUp(Pod pod) throws MountException {
    for (Volume v : pod.getSpec().getVolumesList()) {
      try {
        if (v.hasEmptyDir()) {
          Files.createDirectories(emptyDir(pod, v.getName()));
        } else if (v.hasHostPath()) {
          hostPath(v);
        } else if (v.hasPersistentVolumeClaim()) {
          runtime.ensureVolume(claimVolume(pod, v), Map.of(Labels.NODE, nodeName,
              "io.minik8s.pvc", pod.getMetadata().getNamespace() + "/" + v.getPersistentVolumeClaim().getClaimName()));
        }
      } catch (IOException | RuntimeException e) {
        throw new MountException("volume \"" + v.getName() + "\": " + e.getMessage());
      }
    }
  }

  private static void hostPath(Volume v) throws IOException, MountException {
    Path p = Path.of(v.getHostPath().getPath());
    switch (v.getHostPath().getType()) {
      case "DirectoryOrCreate" -> Files.createDirectories(p);
      case "FileOrCreate" -> {
        Files.createDirectories(p.toAbsolutePath().getParent());
        if (!Files.exists(p)) {
          Files.createFile(p);
        }
      }
      case "Directory" -> {
        if (!Files.isDirectory(p)) {
          throw new MountException("hostPath type check failed: " + p + " is not a directory");
        }
      }
      case "File" -> {
        if (!Files.isRegularFile(p)) {
          throw new MountException("hostPath type check failed: " + p + " is not a file");
        }
      }
      default -> { }
    }
  }

  /** The binds of one container: {@code source:target[:ro]}. */
  public List<String> binds(Pod pod, Container c) {
    List<String> binds = new ArrayList<>();
    for (VolumeMount m : c.getVolumeMountsList()) {
      Volume v = pod.getSpec().getVolumesList().stream().filter(x -> x.getName().equals(m.getName()))
          .findFirst().orElse(null);
      if (v == null) {
        continue;
      }
      String source;
      boolean ro = m.getReadOnly();
      if (v.hasEmptyDir()) {
        source = subPath(emptyDir(pod, v.getName()), m.getSubPath());
      } else if (v.hasHostPath()) {
        source = subPath(Path.of(v.getHostPath().getPath()), m.getSubPath());
      } else if (v.hasPersistentVolumeClaim()) {
        source = claimVolume(pod, v);
        ro |= v.getPersistentVolumeClaim().getReadOnly();
      } else {
        continue;
      }
      binds.add(source + ":" + m.getMountPath() + (ro ? ":ro" : ""));
    }
    return binds;
  }

  private static String subPath(Path base, String sub) {
    if (sub.isEmpty()) {
      return base.toString();
    }
    Path p = base.resolve(sub).normalize();
    try {
      Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.toString();
  }

  /** Removes the pod's own directories (emptyDirs); claims and host paths stay. */
  public void tearDown(String uid) throws IOException {
    Path dir = podDir(uid);
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Pod directories on disk whose uid is not among the known ones: leftovers of removed pods. */
  public List<String> orphanedPodDirs(Set<String> knownUids) throws IOException {
    Path pods = rootDir.resolve("pods");
    if (!Files.isDirectory(pods)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(pods)) {
      return list.map(p -> p.getFileName().toString()).filter(u -> !knownUids.contains(u)).toList();
    }
  }

  private Path emptyDir(Pod pod, String volume) {
    return podDir(pod.getMetadata().getUid()).resolve("volumes").resolve("empty-dir").resolve(volume);
  }

  public static String claimVolume(Pod pod, Volume v) {
    return "pvc-" + pod.getMetadata().getNamespace() + "-" + v.getPersistentVolumeClaim().getClaimName();
  }
}
