package io.minik8s.mkctl;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.DeleteRequest;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.Pod;
import io.minik8s.client.api.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mkctl drain NODE}: cordon the node, then evict its pods, as kubectl drain does. Pods
 * that nothing would recreate (no controller) make it refuse, listing them, unless
 * {@code --force}; DaemonSet pods would come straight back, so they need
 * {@code --ignore-daemonsets}. Eviction is a delete with the pod's (or the given) grace period;
 * the command does not wait for the kubelet to finish stopping the pods.
 *
 * <p>kubectl drain (Kubernetes' staging/src/k8s.io/kubectl/pkg/drain/drain.go).
 */
@Command(
    name = "drain",
    description = {"Drain node in preparation for maintenance.",
        "",
        "The node is cordoned, then every pod on it that a controller manages is evicted. Pods that "
            + "declare no controller would be lost for good: drain refuses unless --force."},
    footerHeading = "%nExamples:%n",
    footer = {"  # Drain node \"node-1\", even if there are pods not managed by a controller on it",
        "  mkctl drain node-1 --force",
        "",
        "  # As above, but give the pods 15 seconds to stop",
        "  mkctl drain node-1 --force --grace-period 15"})
public final class DrainCommand extends MkctlCommand {
  @Parameters(paramLabel = "NODE", description = "The node to drain.")
  String node;

  @Option(names = "--force", description = "Also delete pods that declare no controller.")
  boolean force;

  @Option(names = "--ignore-daemonsets", description = "Ignore DaemonSet-managed pods.")
  boolean ignoreDaemonSets;

  @Option(names = "--grace-period", defaultValue = "-1", paramLabel = "SECONDS",
      description = "Seconds each pod is given to stop; negative: the pod's own terminationGracePeriodSeconds.")
  long gracePeriod;

  @Override
  protected int execute(MkctlContext ctx) {
    ctx.out().println(CordonCommand.setUnschedulable(ctx, node, true));
    ctx.out().flush();
    List<Pod> toEvict = new ArrayList<>();
    List<String> unmanaged = new ArrayList<>();
    List<String> daemonSets = new ArrayList<>();
    for (Message m : ctx.cluster().list(Resources.PODS, "", "", "spec.nodeName=" + node).items()) {
      Pod pod = (Pod) m;
      String name = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
      Optional<OwnerReference> controller = pod.getMetadata().getOwnerReferencesList().stream()
          .filter(OwnerReference::getController).findFirst();
      if (controller.isPresent() && controller.get().getKind().equals("DaemonSet")) {
        daemonSets.add(name);
      } else if (controller.isEmpty() && !force) {
        unmanaged.add(name);
      } else {
        if (controller.isEmpty()) {
          ctx.err().println("Warning: deleting Pods that declare no controller: " + name);
        }
        toEvict.add(pod);
      }
    }
    List<String> problems = new ArrayList<>();
    if (!unmanaged.isEmpty()) {
      problems.add("cannot delete Pods that declare no controller (use --force to override): " + String.join(", ", unmanaged));
    }
    if (!daemonSets.isEmpty() && !ignoreDaemonSets) {
      problems.add("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): " + String.join(", ", daemonSets));
    }
    if (!problems.isEmpty()) {
      ctx.error("unable to drain node \"" + node + "\" due to error: " + String.join(", ", problems));
      return 1;
    }
    if (!daemonSets.isEmpty()) {
      ctx.err().println("Warning: ignoring DaemonSet-managed Pods: " + String.join(", ", daemonSets));
    }
    boolean failed = false;
    for (Pod pod : toEvict) {
      failed |= !evict(ctx, pod);
    }
    if (failed) {
      return 1;
    }
    ctx.out().println("node/" + node + " drained");
    return 0;
  }

  private boolean evict(MkctlContext ctx, Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    ctx.out().println("evicting pod " + ns + "/" + name);
    DeleteRequest.Builder req = DeleteRequest.newBuilder()
        .setResource(Resources.PODS.resource()).setNamespace(ns).setName(name)
        .setPreconditionUid(pod.getMetadata().getUid());
    if (gracePeriod >= 0) {
      req.setGracePeriodSeconds(gracePeriod);
    }
    try {
      ctx.cluster().delete(req.build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        ctx.error(e);
        return false;
      }
    }
    ctx.out().println("pod/" + name + " evicted");
    ctx.out().flush();
    return true;
  }
}
