package io.minik8s.kubelet.container;

import java.io.Closeable;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.BiConsumer;

/**
 * What the kubelet needs from a container engine (the CRI, much reduced). Every side effect of
 * the pod workers goes through here, so their logic is tested against a fake and run against
 * Docker ({@link DockerRuntime}).
 *
 * <p>Mirrors Kubernetes' pkg/kubelet/container/runtime.go.
 */
public interface ContainerRuntime extends AutoCloseable {
  /** The engine's version ("20.10.24"); throws when the engine does not answer. */
  String version();

  MachineInfo machineInfo();

  /**
   * Creates the pod network of this node unless it exists; subnet may be empty (engine's choice).
   * Returns the subnet the network has.
   */
  String ensureNetwork(String name, String subnet, Map<String, String> labels);

  /** Every container, running or not, that carries the label {@code key=value}. */
  List<RuntimeContainer> listContainers(String labelKey, String labelValue);

  boolean imageExists(String image);

  /** Pulls an image, or throws {@link ImagePullException}. */
  void pullImage(String image) throws ImagePullException;

  String createContainer(ContainerConfig config);

  void startContainer(String id);

  /** SIGTERM, then SIGKILL after the grace period; returns when the container has stopped. */
  void stopContainer(String id, long gracePeriodSeconds);

  void removeContainer(String id);

  /** The IP address the container has on the given network, or "" when none. */
  String containerIp(String id, String network);

  /**
   * Runs a command in a running container; returns its exit code, or empty on timeout. On a
   * timeout or an interrupt (the caller went away) the command is killed, not left running.
   */
  OptionalInt exec(String id, List<String> command, OutputStream stdout, OutputStream stderr, Duration timeout);

  /**
   * Streams the logs of a container to {@code sink(stream, bytes)} ("stdout"/"stderr") from
   * another thread; {@code onDone} runs once when the stream ends. Closing the result stops it.
   */
  Closeable logs(String id, boolean follow, Integer tailLines, BiConsumer<String, byte[]> sink, Runnable onDone);

  /** Creates a named volume unless it exists. */
  void ensureVolume(String name, Map<String, String> labels);

  record MachineInfo(int cpus, long memoryBytes, String kernelVersion, String osImage, String architecture,
      String operatingSystem) {}

  @Override
  void close();
}
