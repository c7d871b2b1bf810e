package io.minik8s.kubelet.pod;

import io.minik8s.kubelet.container.ContainerConfig;
import io.minik8s.kubelet.container.ContainerRuntime;
import io.minik8s.kubelet.container.ImagePullException;
import io.minik8s.kubelet.container.RuntimeContainer;
import java.io.Closeable;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BiConsumer;

/** An in-memory container runtime that records the actions taken. */
final class FakeRuntime implements ContainerRuntime {
  final Map<String, RuntimeContainer> containers = new LinkedHashMap<>();
  final List<String> actions = new ArrayList<>();
  Set<String> images = Set.of("registry.k8s.io/pause:3.10", "busybox:1");
  private int next;

  synchronized void exit(String containerName, int code) {
    containers.replaceAll((id, c) -> c.containerName().equals(containerName) && c.running()
        ? new RuntimeContainer(id, c.image(), c.imageId(), c.labels(), RuntimeContainer.State.EXITED, code, false,
            c.startedAt(), Instant.now())
        : c);
  }

  synchronized long count(String prefix) {
    return actions.stream().filter(a -> a.startsWith(prefix)).count();
  }

  @Override public String version() { return "fake"; }
  @Override public MachineInfo machineInfo() { return new MachineInfo(2, 1L << 30, "k", "os", "amd64", "linux"); }
  @Override public String ensureNetwork(String name, String subnet, Map<String, String> labels) { return subnet; }

  @Override
  public synchronized List<RuntimeContainer> listContainers(String key, String value) {
    return containers.values().stream().filter(c -> value.equals(c.labels().get(key))).toList();
  }

  @Override public boolean imageExists(String image) { return images.contains(image); }

  @Override
  public synchronized void pullImage(String image) throws ImagePullException {
    actions.add("pull " + image);
    throw new ImagePullException("no registry");
  }

  @Override
  public synchronized String createContainer(ContainerConfig config) {
    String id = "c" + (next++);
    containers.put(id, new RuntimeContainer(id, config.image(), "sha256:x", config.labels(),
        RuntimeContainer.State.CREATED, 0, false, null, null));
    actions.add("create " + config.labels().get("io.kubernetes.container.name"));
    return id;
  }

  @Override
  public synchronized void startContainer(String id) {
    RuntimeContainer c = containers.get(id);
    containers.put(id, new RuntimeContainer(id, c.image(), c.imageId(), c.labels(), RuntimeContainer.State.RUNNING,
        0, false, Instant.now(), null));
    actions.add("start " + c.containerName());
  }

  @Override
  public synchronized void stopContainer(String id, long grace) {
    RuntimeContainer c = containers.get(id);
    actions.add("stop " + c.containerName() + " " + grace);
    if (c.running()) {
      containers.put(id, new RuntimeContainer(id, c.image(), c.imageId(), c.labels(), RuntimeContainer.State.EXITED,
          137, false, c.startedAt(), Instant.now()));
    }
  }

  @Override
  public synchronized void removeContainer(String id) {
    RuntimeContainer c = containers.remove(id);
    if (c != null) {
      actions.add("remove " + c.containerName());
    }
  }

  @Override public String containerIp(String id, String network) { return "10.0.0.2"; }

  @Override
  public OptionalInt exec(String id, List<String> c, OutputStream o, OutputStream e, Duration t) { return OptionalInt.of(0); }

  @Override
  public Closeable logs(String id, boolean f, Integer t, BiConsumer<String, byte[]> s, Runnable d) { return () -> {}; }

  @Override public void ensureVolume(String name, Map<String, String> labels) { actions.add("volume " + name); }
  @Override public void close() {}
}
