package io.minik8s.kubelet.pleg;

import io.minik8s.client.component.SupervisedLoops;
import io.minik8s.kubelet.Labels;
import io.minik8s.kubelet.container.ContainerRuntime;
import io.minik8s.kubelet.container.RuntimeContainer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod lifecycle event generator: relists this node's containers every period, diffs their
 * states against the previous relist (started, died, removed) and tells the kubelet which pods
 * changed, so a crash is acted on within a relist period rather than at the next resync.
 *
 * <p>Mirrors Kubernetes' pkg/kubelet/pleg/generic.go.
 */
public final class GenericPLEG implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GenericPLEG.class);
  /** Its name in {@code loop_errors_total}. */
  public static final String LOOP = "pleg";

  private final ContainerRuntime runtime;
  private final String nodeName;
  private final Duration period;
  private final Consumer<String> onPodChanged;
  private final Clock clock;
  private final SupervisedLoops loops;
  private Map<String, String> previous = new HashMap<>();
  private volatile Instant lastRelist;
  private volatile boolean stopped;
  private final Thread thread;

  public GenericPLEG(ContainerRuntime runtime, String nodeName, Duration period, Consumer<String> onPodChanged, Clock clock,
                     SupervisedLoops loops) {
    this.loops = loops;
    this.runtime = runtime;
    this.nodeName = nodeName;
    this.period = period;
    this.onPodChanged = onPodChanged;
    this.clock = clock;
    this.lastRelist = clock.instant();
    this.thread = new Thread(this::loop, "pleg-" + nodeName);
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Healthy while relists succeed (Kubernetes' "PLEG is not healthy" after 3 minutes). */
  public boolean healthy() {
    return Duration.between(lastRelist, clock.instant()).compareTo(Duration.ofMinutes(3)) < 0;
  }

  private void loop() {
    while (!stopped) {
      loops.runPass(LOOP, this::relist); // any Throwable is logged and counted; the next relist comes
      try {
        Thread.sleep(period.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  void relist() {
    List<RuntimeContainer> now = runtime.listContainers(Labels.NODE, nodeName);
    lastRelist = clock.instant();
    Map<String, String> current = new HashMap<>();
    Map<String, String> podOf = new HashMap<>();
    for (RuntimeContainer c : now) {
      current.put(c.id(), c.state().name());
      podOf.put(c.id(), c.podUid());
    }
    Set<String> changed = new HashSet<>();
    for (var e : current.entrySet()) {
      if (!e.getValue().equals(previous.get(e.getKey()))) {
        changed.add(podOf.get(e.getKey()));
      }
    }
    for (String id : previous.keySet()) {
      if (!current.containsKey(id)) {
        changed.add(previousPods.getOrDefault(id, ""));
      }
    }
    previous = current;
    previousPods = podOf;
    changed.remove("");
    changed.forEach(onPodChanged);
  }

  private Map<String, String> previousPods = new HashMap<>();

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
  }
}
