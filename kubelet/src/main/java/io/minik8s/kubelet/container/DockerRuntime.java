package io.minik8s.kubelet.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ContainerRuntime} on a Docker engine, through docker-java over the engine's socket. */
public final class DockerRuntime implements ContainerRuntime {
  private static final Logger log = LoggerFactory.getLogger(DockerRuntime.class);
  private static final Duration PULL_TIMEOUT = Duration.ofMinutes(2);

  private final DockerClient docker;
  private final PodNetworks networks;
  private final EndpointChanges endpoints;
  /** Inspections by container id and state: a container's details change only with its state. */
  private final Map<String, RuntimeContainer> inspected = new ConcurrentHashMap<>();

  public DockerRuntime(String dockerHost) {
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(dockerHost).build();
    ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
        .dockerHost(URI.create(dockerHost))
        .maxConnections(64)
        .connectionTimeout(Duration.ofSeconds(10))
        .build();
    this.docker = DockerClientImpl.getInstance(config, http);
    this.endpoints = new EndpointChanges(this::networkMode);
    this.networks = new PodNetworks(docker, endpoints);
  }

  private String networkMode(String id) {
    try {
      return docker.inspectContainerCmd(id).exec().getHostConfig().getNetworkMode();
    } catch (NotFoundException e) {
      return null;
    }
  }

  @Override
  public String version() {
    return docker.versionCmd().exec().getVersion();
  }

  @Override
  public MachineInfo machineInfo() {
    Info info = docker.infoCmd().exec();
    return new MachineInfo(info.getNCPU() == null ? 1 : info.getNCPU(),
        info.getMemTotal() == null ? 0 : info.getMemTotal(), info.getKernelVersion(),
        info.getOperatingSystem(), System.getProperty("os.arch").replace("x86_64", "amd64"),
        info.getOsType() == null ? "linux" : info.getOsType());
  }

  @Override
  public String ensureNetwork(String name, String subnet, Map<String, String> labels) {
    return networks.ensure(name, subnet, labels);
  }

  /**
   * Takes off the network's endpoints whose container is gone (Docker can leave such an endpoint
   * behind, and then refuses to remove the network); returns how many.
   */
  public int clearStaleEndpoints(String network) {
    return networks.clearStaleEndpoints(network);
  }

  /** Stale endpoints taken off pod networks since this runtime started. */
  public long staleEndpointsCleared() {
    return networks.staleEndpointsCleared();
  }

  @Override
  public List<RuntimeContainer> listContainers(String labelKey, String labelValue) {
    List<Container> list = docker.listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(labelKey, labelValue)).exec();
    List<RuntimeContainer> out = new ArrayList<>();
    for (Container c : list) {
      String key = c.getId() + "/" + c.getState();
      RuntimeContainer rc = inspected.get(key);
      if (rc == null) {
        rc = inspect(c.getId());
        if (rc == null) {
          continue;
        }
        inspected.put(key, rc);
      }
      out.add(rc);
    }
    inspected.keySet().removeIf(k -> list.stream().noneMatch(c -> k.equals(c.getId() + "/" + c.getState())));
    return out;
  }

  private RuntimeContainer inspect(String id) {
    InspectContainerResponse r;
    try {
      r = docker.inspectContainerCmd(id).exec();
    } catch (NotFoundException e) {
      return null;
    }
    var s = r.getState();
    RuntimeContainer.State state = switch (String.valueOf(s.getStatus())) {
      case "running", "paused", "restarting" -> RuntimeContainer.State.RUNNING;
      case "created" -> RuntimeContainer.State.CREATED;
      case "exited", "dead" -> RuntimeContainer.State.EXITED;
      default -> RuntimeContainer.State.UNKNOWN;
    };
    return new RuntimeContainer(r.getId(), r.getConfig().getImage(), r.getImageId(),
        r.getConfig().getLabels() == null ? Map.of() : Map.copyOf(r.getConfig().getLabels()), state,
        s.getExitCodeLong() == null ? 0 : s.getExitCodeLong().intValue(), Boolean.TRUE.equals(s.getOOMKilled()),
        time(s.getStartedAt()), time(s.getFinishedAt()));
  }

  private static Instant time(String t) {
    if (t == null || t.isEmpty() || t.startsWith("0001-")) {
      return null;
    }
    return Instant.parse(t);
  }

  @Override
  public boolean imageExists(String image) {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Override
  public void pullImage(String image) throws ImagePullException {
    try {
      boolean done = docker.pullImageCmd(image).exec(new ResultCallback.Adapter<PullResponseItem>())
          .awaitCompletion(PULL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (!done) {
        throw new ImagePullException("pulling " + image + " timed out after " + PULL_TIMEOUT.toSeconds() + "s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImagePullException("interrupted while pulling " + image);
    } catch (RuntimeException e) {
      throw new ImagePullException(String.valueOf(e.getMessage()).strip());
    }
    if (!imageExists(image)) {
      throw new ImagePullException("image " + image + " is not present after the pull");
    }
  }

  @Override
  public String createContainer(ContainerConfig c) {
    HostConfig host = HostConfig.newHostConfig()
        .withNetworkMode(c.networkMode())
        .withBinds(c.binds().stream().map(Bind::parse).toList());
    if (c.nanoCpus() > 0) {
      host.withNanoCPUs(c.nanoCpus());
    }
    if (c.memoryBytes() > 0) {
      host.withMemory(c.memoryBytes());
    }
    if (c.dns() != null) {
      host.withDns(c.dns().nameservers()).withDnsSearch(c.dns().searches()).withDnsOptions(c.dns().options());
    }
    var cmd = docker.createContainerCmd(c.image()).withName(c.name()).withLabels(c.labels())
        .withEnv(c.env()).withHostConfig(host);
    if (c.entrypoint() != null) {
      cmd.withEntrypoint(c.entrypoint());
    }
    if (c.cmd() != null) {
      cmd.withCmd(c.cmd());
    }
    if (c.workingDir() != null && !c.workingDir().isEmpty()) {
      cmd.withWorkingDir(c.workingDir());
    }
    if (c.hostname() != null && !c.hostname().isEmpty()) {
      cmd.withHostName(c.hostname());
    }
    String id = cmd.exec().getId();
    endpoints.created(id, c.networkMode());
    return id;
  }

  @Override
  public void startContainer(String id) {
    endpoints.run(id, () -> docker.startContainerCmd(id).exec());
  }

  @Override
  public void stopContainer(String id, long gracePeriodSeconds) {
    endpoints.run(id, () -> {
      try {
        docker.stopContainerCmd(id).withTimeout((int) Math.max(0, gracePeriodSeconds)).exec();
        // The stop returns once the container is not running; the engine takes its endpoint away
        // in the exit's clean-up, under the container's lock, which an inspection waits for.
        docker.inspectContainerCmd(id).exec();
      } catch (NotModifiedException | NotFoundException e) {
        // already stopped or gone: the goal is reached
      }
    });
  }

  @Override
  public void removeContainer(String id) {
    Runnable remove = () -> {
      try {
        docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
      } catch (NotFoundException e) {
        // gone already
      }
    };
    if (running(id)) {
      endpoints.run(id, remove); // the forced removal stops it, and takes its endpoint away
    } else {
      remove.run(); // a stopped container holds no endpoint: no need to wait for a turn
    }
    endpoints.removed(id);
  }

  private boolean running(String id) {
    try {
      return Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getRunning());
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Override
  public String containerIp(String id, String network) {
    try {
      Map<String, ContainerNetwork> nets = docker.inspectContainerCmd(id).exec().getNetworkSettings().getNetworks();
      ContainerNetwork n = nets == null ? null : nets.get(network);
      return n == null || n.getIpAddress() == null ? "" : n.getIpAddress();
    } catch (NotFoundException e) {
      return "";
    }
  }

  @Override
  public OptionalInt exec(String id, List<String> command, OutputStream stdout, OutputStream stderr, Duration timeout) {
    String execId = docker.execCreateCmd(id).withCmd(command.toArray(String[]::new))
        .withAttachStdout(true).withAttachStderr(true).exec().getId();
    var callback = docker.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
      @Override
      public void onNext(Frame frame) {
        try {
          (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).write(frame.getPayload());
          (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).flush();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    });
    boolean finished = false;
    try {
      finished = callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (!finished) {
        stopExec(execId, callback);
      }
    }
    if (!finished) {
      return OptionalInt.empty();
    }
    Long code = docker.inspectExecCmd(execId).exec().getExitCodeLong();
    return code == null ? OptionalInt.empty() : OptionalInt.of(code.intValue());
  }

  /**
   * Ends an exec nobody waits for any more (timed out, or its client went away). Docker has no
   * call to stop an exec, so its process and everything it started are killed by the host PID
   * Docker reports, as containerd's CRI does when an exec's stream is cancelled. This needs the
   * kubelet in the host's PID namespace, as a kubelet runs; else the process is left to run.
   */
  private void stopExec(String execId, Closeable output) {
    boolean interrupted = Thread.interrupted(); // a pending interrupt would fail the Docker calls below
    try {
      output.close();
      var exec = docker.inspectExecCmd(execId).exec();
      Long pid = exec.getPidLong();
      if (!Boolean.TRUE.equals(exec.isRunning()) || pid == null || pid <= 0) {
        return;
      }
      ProcessHandle.of(pid).ifPresentOrElse(p -> {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        log.info("killed exec {} (pid {}): nobody waits for it any more", execId, pid);
      }, () -> log.warn("exec {}: its process {} is not visible here (is the kubelet in the host's PID namespace?); "
          + "it runs on", execId, pid));
    } catch (IOException | RuntimeException e) {
      log.warn("stopping exec {}: {}", execId, e.toString());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public Closeable logs(String id, boolean follow, Integer tailLines, BiConsumer<String, byte[]> sink, Runnable onDone) {
    var cmd = docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(follow);
    if (tailLines != null) {
      cmd.withTail(tailLines);
    } else {
      cmd.withTailAll();
    }
    return cmd.exec(new ResultCallback.Adapter<Frame>() {
      @Override
      public void onNext(Frame frame) {
        sink.accept(frame.getStreamType() == StreamType.STDERR ? "stderr" : "stdout", frame.getPayload());
      }

      @Override
      public void onError(Throwable t) {
        super.onError(t);
        onDone.run();
      }

      @Override
      public void onComplete() {
        super.onComplete();
        onDone.run();
      }
    });
  }

  @Override
  public void ensureVolume(String name, Map<String, String> labels) {
    try {
      docker.inspectVolumeCmd(name).exec();
    } catch (NotFoundException e) {
      docker.createVolumeCmd().withName(name).withLabels(labels).exec();
    }
  }

  @Override
  public void close() {
    try {
      docker.close();
    } catch (IOException e) {
      // closing at exit
    }
  }
}
