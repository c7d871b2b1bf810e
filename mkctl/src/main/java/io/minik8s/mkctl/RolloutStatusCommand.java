package io.minik8s.mkctl;

import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentCondition;
import io.minik8s.api.StatefulSet;
import io.minik8s.client.api.Resources;
import io.minik8s.client.component.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mkctl rollout status}: follows a rollout until it finishes, printing kubectl's lines
 * each time the state changes; exits non-zero if the deployment exceeds its progress deadline.
 *
 * <p>kubectl rollout status (Kubernetes' staging/src/k8s.io/kubectl/pkg/cmd/rollout/rollout_status.go).
 */
@Command(name = "status", description = {"Show the status of the rollout.", "",
    "Watches the rollout until it is done; --watch=false prints the state once."})
public final class RolloutStatusCommand extends NestedCommand {
  @Parameters(paramLabel = "TYPE/NAME", arity = "1..2")
  List<String> args = new ArrayList<>();

  @Option(names = {"-w", "--watch"}, arity = "0..1", fallbackValue = "true", defaultValue = "true",
      description = "Watch the status until the rollout ends. Default: true.")
  boolean watch;

  @Option(names = "--timeout", defaultValue = "0s", paramLabel = "DURATION",
      description = "How long to wait before giving up (e.g. 90s, 5m); 0 waits forever.")
  String timeout;

  /** What one look at the object says. */
  record View(String message, boolean done) {}

  @Override
  protected int execute(MkctlContext ctx) {
    Workloads.Ref ref = Workloads.one(args, Set.of(Resources.DEPLOYMENTS, Resources.STATEFUL_SETS), "rollout status");
    Duration limit = parseTimeout(timeout);
    Instant deadline = limit.isZero() ? Instant.MAX : Instant.now().plus(limit);
    String last = null;
    while (true) {
      Object obj = ctx.cluster().get(ref.type(), ctx.namespace(), ref.name());
      View v = obj instanceof Deployment d ? deploymentStatus(d) : statefulSetStatus((StatefulSet) obj);
      if (!v.message().equals(last)) {
        ctx.out().print(v.message());
        ctx.out().flush();
        last = v.message();
      }
      if (v.done() || !watch) {
        return 0;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new MkctlException("timed out waiting for the condition");
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
    }
  }

  /** kubectl's DeploymentStatusViewer, word for word. */
  static View deploymentStatus(Deployment d) {
    String name = d.getMetadata().getName();
    var s = d.getStatus();
    if (d.getMetadata().getGeneration() <= s.getObservedGeneration()) {
      for (DeploymentCondition c : s.getConditionsList()) {
        if (c.getType().equals("Progressing") && c.getReason().equals("ProgressDeadlineExceeded")) {
          throw new MkctlException("deployment \"" + name + "\" exceeded its progress deadline");
        }
      }
      int replicas = d.getSpec().getReplicas();
      if (s.getUpdatedReplicas() < replicas) {
        return new View(String.format("Waiting for deployment \"%s\" rollout to finish: %d out of %d new replicas have been updated...%n",
            name, s.getUpdatedReplicas(), replicas), false);
      }
      if (s.getReplicas() > s.getUpdatedReplicas()) {
        return new View(String.format("Waiting for deployment \"%s\" rollout to finish: %d old replicas are pending termination...%n",
            name, s.getReplicas() - s.getUpdatedReplicas()), false);
      }
      if (s.getAvailableReplicas() < s.getUpdatedReplicas()) {
        return new View(String.format("Waiting for deployment \"%s\" rollout to finish: %d of %d updated replicas are available...%n",
            name, s.getAvailableReplicas(), s.getUpdatedReplicas()), false);
      }
      return new View(String.format("deployment \"%s\" successfully rolled out%n", name), true);
    }
    return new View(String.format("Waiting for deployment spec update to be observed...%n"), false);
  }

  /** kubectl's StatefulSetStatusViewer. */
  static View statefulSetStatus(StatefulSet sts) {
    if (sts.getSpec().getUpdateStrategy().getType().equals("OnDelete")) {
      throw new MkctlException("rollout status is only available for RollingUpdate strategy type");
    }
    var s = sts.getStatus();
    if (s.getObservedGeneration() == 0 || sts.getMetadata().getGeneration() > s.getObservedGeneration()) {
      return new View(String.format("Waiting for statefulset spec update to be observed...%n"), false);
    }
    int replicas = sts.getSpec().getReplicas();
    if (s.getReadyReplicas() < replicas) {
      return new View(String.format("Waiting for %d pods to be ready...%n", replicas - s.getReadyReplicas()), false);
    }
    var ru = sts.getSpec().getUpdateStrategy().getRollingUpdate();
    if (ru.hasPartition() && ru.getPartition() > 0) {
      if (s.getUpdatedReplicas() < replicas - ru.getPartition()) {
        return new View(String.format("Waiting for partitioned roll out to finish: %d out of %d new pods have been updated...%n",
            s.getUpdatedReplicas(), replicas - ru.getPartition()), false);
      }
      return new View(String.format("partitioned roll out complete: %d new pods have been updated...%n", s.getUpdatedReplicas()), true);
    }
    if (!s.getUpdateRevision().equals(s.getCurrentRevision())) {
      return new View(String.format("waiting for statefulset rolling update to complete %d pods at revision %s...%n",
          s.getUpdatedReplicas(), s.getUpdateRevision()), false);
    }
    return new View(String.format("statefulset rolling update complete %d pods at revision %s...%n",
        s.getCurrentReplicas(), s.getCurrentRevision()), true);
  }

  private static Duration parseTimeout(String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new MkctlException("invalid argument \"" + text + "\" for \"--timeout\" flag");
    }
  }
}
