package io.minik8s.kubelet.pod;

import io.minik8s.api.Container;
import io.minik8s.api.Pod;
import io.minik8s.api.PodStatus;
import io.minik8s.kubelet.Labels;
import io.minik8s.kubelet.container.ContainerRuntime;
import io.minik8s.kubelet.container.ImagePullException;
import io.minik8s.kubelet.container.RuntimeContainer;
import io.minik8s.kubelet.prober.ProbeResults;
import io.minik8s.kubelet.volume.MountException;
import io.minik8s.kubelet.volume.UnsafeMountException;
import io.minik8s.kubelet.volume.VolumeManager;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converges one pod's containers toward its spec, one step per call (the kubelet's syncPod with
 * kuberuntime's computePodActions folded in): volumes, then the sandbox, then init containers
 * in order, then app containers, restarting per restartPolicy with crash-loop back-off and
 * pulling images with pull back-off. It reads the runtime afresh on every call, so it never acts
 * on container states older than its own last action. The caller serializes calls per pod.
 *
 * <p>Mirrors Kubernetes' pkg/kubelet/kuberuntime/kuberuntime_manager.go (SyncPod).
 */
public final class PodSyncer {
  private static final Logger log = LoggerFactory.getLogger(PodSyncer.class);
  static final Duration RETRY = Duration.ofSeconds(10);

  /** What a sync leaves: the status to report and when to look again (null: on the next event). */
  public record Result(PodStatus status, List<RuntimeContainer> containers, String podIp, Duration requeueAfter) {}

  private final String nodeName;
  private final ContainerRuntime runtime;
  private final VolumeManager volumes;
  private final ContainerFactory factory;
  private final ProbeResults probes;
  private final Recorder recorder;
  private final PodStatusBuilder statusBuilder;
  private final BackOff crashBackOff;
  private final BackOff pullBackOff;
  /** Why a container is not running, by uid/container: CrashLoopBackOff, ErrImagePull... */
  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

  public PodSyncer(String nodeName, ContainerRuntime runtime, VolumeManager volumes, ContainerFactory factory,
      ProbeResults probes, Recorder recorder, String hostIp, Clock clock, Duration backOffBase, Duration backOffMax) {
    this.nodeName = nodeName;
    this.runtime = runtime;
    this.volumes = volumes;
    this.factory = factory;
    this.probes = probes;
    this.recorder = recorder;
    this.statusBuilder = new PodStatusBuilder(probes, hostIp, clock);
    this.crashBackOff = new BackOff(backOffBase, backOffMax, clock);
    this.pullBackOff = new BackOff(backOffBase, backOffMax, clock);
  }

  public Result sync(Pod pod) {
    String uid = pod.getMetadata().getUid();
    List<RuntimeContainer> all = containersOf(uid);
    try {
      volumes.setUp(pod);
    } catch (MountException e) {
      recorder.warning(pod, "FailedMount", "MountVolume.SetUp failed for " + e.getMessage());
      return result(pod, all, "", RETRY);
    }
    PodSpecView spec = new PodSpecView(pod);
    RuntimeContainer sandbox = latest(all, Labels.SANDBOX_NAME);
    if (spec.terminal(all)) {
      // Nothing will run again: release the sandbox (and with it the IP) but keep the record.
      if (sandbox != null && sandbox.running()) {
        runtime.stopContainer(sandbox.id(), 1);
      }
      return result(pod, containersOf(uid), "", null);
    }
    if (sandbox == null || !sandbox.running()) {
      sandbox = startSandbox(pod, all, sandbox);
      if (sandbox == null) {
        return result(pod, containersOf(uid), "", RETRY);
      }
      all = containersOf(uid);
    }
    String ip = runtime.containerIp(sandbox.id(), factory.network());
    Duration requeue = null;
    boolean initialized = true;
    for (Container c : pod.getSpec().getInitContainersList()) {
      RuntimeContainer last = latest(all, c.getName());
      if (last != null && last.state() == RuntimeContainer.State.EXITED && last.exitCode() == 0) {
        continue;
      }
      initialized = false;
      if (last == null || (last.exited() && spec.restarts(last))) {
        requeue = start(pod, c, Labels.INIT, last, sandbox.id(), ip);
      }
      break;
    }
    if (initialized) {
      for (Container c : pod.getSpec().getContainersList()) {
        RuntimeContainer last = latest(all, c.getName());
        if (last != null && last.running()) {
          if (!probes.shouldRestart(last.id())) {
            continue;
          }
          recorder.normal(pod, "Killing", "Container " + c.getName() + " failed liveness probe, will be restarted");
          runtime.stopContainer(last.id(), gracePeriod(pod));
          last = latest(containersOf(uid), c.getName());
        }
        if (last == null || spec.restarts(last)) {
          requeue = earliest(requeue, start(pod, c, Labels.APP, last, sandbox.id(), ip));
        }
      }
    }
    return result(pod, containersOf(uid), ip, requeue);
  }

  private Result result(Pod pod, List<RuntimeContainer> all, String ip, Duration requeue) {
    String prefix = pod.getMetadata().getUid() + "/";
    Map<String, Waiting> mine = new ConcurrentHashMap<>();
    waiting.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        mine.put(k.substring(prefix.length()), v);
      }
    });
    return new Result(statusBuilder.build(pod, all, ip, mine), all, ip, requeue);
  }

  private RuntimeContainer startSandbox(Pod pod, List<RuntimeContainer> all, RuntimeContainer old) {
    // App containers cannot outlive the network namespace they joined: a new sandbox restarts them.
    for (RuntimeContainer c : all) {
      if (!c.isSandbox() && c.running()) {
        runtime.stopContainer(c.id(), gracePeriod(pod));
      }
    }
    String image = factory.podInfraImage();
    try {
      if (!runtime.imageExists(image)) {
        runtime.pullImage(image);
      }
      String id = runtime.createContainer(factory.sandbox(pod, old == null ? 0 : old.restartCount() + 1));
      runtime.startContainer(id);
      if (old != null) {
        recorder.normal(pod, "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.");
      }
      for (RuntimeContainer c : all) {
        if (c.isSandbox()) {
          runtime.removeContainer(c.id());
        }
      }
      return latest(containersOf(pod.getMetadata().getUid()), Labels.SANDBOX_NAME);
    } catch (ImagePullException | RuntimeException e) {
      recorder.warning(pod, "FailedCreatePodSandBox", "Failed to create pod sandbox (image " + image + "): " + e.getMessage());
      return null;
    }
  }

  /** Starts a container (again), unless back-off says wait; returns when to look again, or null. */
  private Duration start(Pod pod, Container c, String type, RuntimeContainer last, String sandboxId, String ip) {
    String key = pod.getMetadata().getUid() + "/" + c.getName();
    int restartCount = 0;
    if (last != null) {
      restartCount = last.restartCount() + 1;
      Duration left = crashBackOff.remaining(key, last.finishedAt() == null ? java.time.Instant.EPOCH : last.finishedAt());
      if (!left.isZero()) {
        waiting.put(key, new Waiting("CrashLoopBackOff", "back-off " + crashBackOff.delay(key).toSeconds()
            + "s restarting failed container=" + c.getName() + " pod=" + pod.getMetadata().getName()));
        recorder.warning(pod, "BackOff", "Back-off restarting failed container " + c.getName());
        return left;
      }
    }
    Duration pull = ensureImage(pod, c, key);
    if (pull != null) {
      return pull;
    }
    try {
      String id = runtime.createContainer(factory.container(pod, c, type, restartCount, sandboxId, ip));
      recorder.normal(pod, "Created", "Created container " + c.getName());
      runtime.startContainer(id);
      recorder.normal(pod, "Started", "Started container " + c.getName());
      if (last != null) {
        crashBackOff.next(key);
      }
      waiting.remove(key);
      // Keep the instance just replaced (for logs --previous), drop older ones.
      for (RuntimeContainer old : containersOf(pod.getMetadata().getUid())) {
        if (old.containerName().equals(c.getName()) && !old.id().equals(id) && (last == null || !old.id().equals(last.id()))) {
          runtime.removeContainer(old.id());
        }
      }
      return null;
    } catch (RuntimeException e) {
      log.warn("starting {} of {}: {}", c.getName(), pod.getMetadata().getName(), e.getMessage());
      // a mount the kubelet refused is the spec's fault, not the runtime's (kuberuntime's two reasons)
      String reason = e instanceof UnsafeMountException ? "CreateContainerConfigError" : "CreateContainerError";
      waiting.put(key, new Waiting(reason, String.valueOf(e.getMessage())));
      recorder.warning(pod, "Failed", "Error: " + e.getMessage());
      crashBackOff.next(key);
      return RETRY;
    }
  }

  /** Null when the image is there; else records why not and returns when to try again. */
  private Duration ensureImage(Pod pod, Container c, String key) {
    String image = c.getImage();
    String policy = c.getImagePullPolicy().isEmpty() ? defaultPullPolicy(image) : c.getImagePullPolicy();
    boolean present = runtime.imageExists(image);
    if (present && !policy.equals("Always")) {
      return null;
    }
    if (policy.equals("Never")) {
      waiting.put(key, new Waiting("ErrImageNeverPull",
          "Container image \"" + image + "\" is not present with pull policy of Never"));
      recorder.warning(pod, "ErrImageNeverPull", waiting.get(key).message());
      return RETRY;
    }
    String pullKey = key + "@" + image;
    Duration left = pullBackOff.remaining(pullKey);
    if (!left.isZero()) {
      waiting.put(key, new Waiting("ImagePullBackOff", "Back-off pulling image \"" + image + "\""));
      recorder.normal(pod, "BackOff", "Back-off pulling image \"" + image + "\"");
      return left;
    }
    recorder.normal(pod, "Pulling", "Pulling image \"" + image + "\"");
    try {
      runtime.pullImage(image);
      pullBackOff.reset(pullKey);
      recorder.normal(pod, "Pulled", "Successfully pulled image \"" + image + "\"");
      return null;
    } catch (ImagePullException e) {
      waiting.put(key, new Waiting("ErrImagePull", e.getMessage()));
      recorder.warning(pod, "Failed", "Failed to pull image \"" + image + "\": " + e.getMessage());
      return pullBackOff.next(pullKey);
    }
  }

  static String defaultPullPolicy(String image) {
    String last = image.substring(image.lastIndexOf('/') + 1);
    return !last.contains(":") || last.endsWith(":latest") ? "Always" : "IfNotPresent";
  }

  /**
   * Stops every container of the pod (SIGTERM, SIGKILL after the grace period, all at once as
   * the kubelet does), then the sandbox, removes them and the pod's emptyDirs.
   */
  public void kill(String uid, Pod pod, long graceSeconds) {
    List<RuntimeContainer> all = containersOf(uid);
    try (var stoppers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (RuntimeContainer c : all) {
        if (!c.isSandbox() && c.running()) {
          if (pod != null) {
            recorder.normal(pod, "Killing", "Stopping container " + c.containerName());
          }
          stoppers.submit(() -> runtime.stopContainer(c.id(), graceSeconds));
        }
      }
    }
    for (RuntimeContainer c : all) {
      if (c.isSandbox() && c.running()) {
        runtime.stopContainer(c.id(), 2);
      }
    }
    for (RuntimeContainer c : all) {
      runtime.removeContainer(c.id());
    }
    try {
      volumes.tearDown(uid);
    } catch (IOException e) {
      log.warn("removing the volumes of pod {}: {}", uid, e.getMessage());
    }
    waiting.keySet().removeIf(k -> k.startsWith(uid + "/"));
    crashBackOff.resetPrefix(uid + "/");
    pullBackOff.resetPrefix(uid + "/");
  }

  public List<RuntimeContainer> containersOf(String uid) {
    return runtime.listContainers(Labels.POD_UID, uid).stream()
        .filter(c -> nodeName.equals(c.labels().get(Labels.NODE))).toList();
  }

  /** The newest instance of a container (highest restart count), or null. */
  static RuntimeContainer latest(List<RuntimeContainer> all, String name) {
    return all.stream().filter(c -> c.containerName().equals(name))
        .max(Comparator.comparingInt(RuntimeContainer::restartCount)).orElse(null);
  }

  public static long gracePeriod(Pod pod) {
    if (pod.getMetadata().hasDeletionGracePeriodSeconds()) {
      return pod.getMetadata().getDeletionGracePeriodSeconds();
    }
    return pod.getSpec().hasTerminationGracePeriodSeconds() ? pod.getSpec().getTerminationGracePeriodSeconds() : 30;
  }

  private static Duration earliest(Duration a, Duration b) {
    return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
  }

  /** Why a container waits. */
  public record Waiting(String reason, String message) {}
}
