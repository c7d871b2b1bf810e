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
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Makes a pod's volumes exist on the host before its containers start, and turns volume mounts
 * into Docker binds. emptyDir is a directory under the kubelet's root dir that lives as long as
 * the pod; hostPath is the host's own path; a persistentVolumeClaim is a named Docker volume
 * {@code pvc-<namespace>-<claim>} that outlives the pod, as a StatefulSet's storage must.
 * The api-server decides who may use hostPath at all (Pod Security admission); here the
 * create types of hostPath create only under the allowed prefixes, and a subPath is resolved
 * element by element so that no symlink a container planted can lead it out of its volume
 * (Kubernetes' pkg/volume/util/subpath/subpath_linux.go, which also closes the race between
 * this check and the mount by binding through /proc/self/fd; Docker binds by path, so a
 * container swapping a directory for a symlink at that very moment is not covered here).
 */
public final class VolumeManager {
  /** Where hostPath's DirectoryOrCreate and FileOrCreate may create, unless the kubelet is told otherwise. */
  public static final List<Path> DEFAULT_ALLOWED_HOST_PATH_PREFIXES =
      Stream.of("/tmp", "/var/tmp", "/srv", "/mnt", "/data").map(Path::of).toList();

  private final Path rootDir;
  private final ContainerRuntime runtime;
  private final String nodeName;
  private final List<Path> allowedHostPathPrefixes;

  public VolumeManager(Path rootDir, ContainerRuntime runtime, String nodeName) {
    this(rootDir, runtime, nodeName, DEFAULT_ALLOWED_HOST_PATH_PREFIXES);
  }

  public VolumeManager(Path rootDir, ContainerRuntime runtime, String nodeName, List<Path> allowedHostPathPrefixes) {
    this.rootDir = rootDir;
    this.runtime = runtime;
    this.nodeName = nodeName;
    this.allowedHostPathPrefixes = List.copyOf(allowedHostPathPrefixes);
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

  private void hostPath(Volume v) throws IOException, MountException {
    Path p = Path.of(v.getHostPath().getPath());
    switch (v.getHostPath().getType()) {
      case "DirectoryOrCreate" -> {
        requireAllowedToCreate(p);
        Files.createDirectories(p);
      }
      case "FileOrCreate" -> {
        requireAllowedToCreate(p);
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

  /**
   * A missing path may be created only if what exists of it already, symlinks resolved, lies under
   * an allowed prefix: a pod cannot have the kubelet (root) write files where the host reads them.
   */
  private void requireAllowedToCreate(Path p) throws IOException, MountException {
    if (Files.exists(p)) {
      return; // nothing to create: the type behaves as Directory or File
    }
    Path existing = p.toAbsolutePath().normalize();
    while (!Files.exists(existing)) {
      existing = existing.getParent();
    }
    Path real = existing.toRealPath().resolve(existing.relativize(p.toAbsolutePath().normalize()));
    for (Path prefix : allowedHostPathPrefixes) {
      Path allowed = Files.exists(prefix) ? prefix.toRealPath() : prefix;
      if (real.startsWith(allowed)) {
        return;
      }
    }
    throw new MountException("hostPath type check failed: " + p + " does not exist and " + real
        + " is not under an allowed prefix (--allowed-host-path-prefixes "
        + allowedHostPathPrefixes.stream().map(Path::toString).collect(Collectors.joining(",")) + ")");
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
      // Docker splits a bind at ':': a colon in either path would change what is mounted where
      if (source.contains(":") || m.getMountPath().contains(":")) {
        throw new UnsafeMountException("volume \"" + v.getName() + "\": a bind path may not contain ':': " + source
            + " -> " + m.getMountPath());
      }
      binds.add(source + ":" + m.getMountPath() + (ro ? ":ro" : ""));
    }
    return binds;
  }

  /**
   * The volume's directory {@code sub}, created if missing. Each element is resolved as it is
   * reached, symlinks included, and must stay inside the volume: creating the whole path at once
   * would follow a symlink a container planted and create (and then mount) a host directory.
   */
  private static String subPath(Path base, String sub) {
    if (sub.isEmpty()) {
      return base.toString();
    }
    try {
      Path volume = base.toRealPath();
      Path current = volume;
      for (String element : sub.split("/")) {
        if (element.equals("..")) {
          throw unsafeSubPath(sub, "must not contain '..'");
        }
        if (element.isEmpty() || element.equals(".")) {
          continue;
        }
        Path next = current.resolve(element);
        if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectory(next);
        }
        current = next.toRealPath();
        if (!current.startsWith(volume)) {
          throw unsafeSubPath(sub, "subpath \"" + current + "\" not within volume path \"" + volume + "\"");
        }
      }
      return current.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("unable to provision SubPath `" + sub + "`: " + e, e);
    }
  }

  private static UnsafeMountException unsafeSubPath(String sub, String why) {
    return new UnsafeMountException("unable to provision SubPath `" + sub + "`: " + why);
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
