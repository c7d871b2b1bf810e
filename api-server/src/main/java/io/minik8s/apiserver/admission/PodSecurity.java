package io.minik8s.apiserver.admission;

import io.minik8s.api.Container;
import io.minik8s.api.Namespace;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Pod Security admission (Kubernetes' staging/src/k8s.io/pod-security-admission, its policy/check_*.go
 * files): what a pod may ask of its node depends on its namespace's label
 * {@code pod-security.kubernetes.io/enforce}. {@code privileged} allows everything; any other value,
 * and no label at all, enforces the baseline level: no hostPath volumes, no privileged containers,
 * no host namespaces, no host ports, since each of these hands the node to the pod. (Kubernetes'
 * default level is privileged; here a namespace must opt in, so a new cluster is safe.) The
 * restricted level is enforced as baseline: its further checks (non-root, seccomp, capabilities)
 * are not implemented. Only pods are checked, as in Kubernetes: a Deployment whose template
 * breaks the level is stored, and its ReplicaSet's pod creations are refused.
 */
public final class PodSecurity {
  public static final String ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";
  static final List<String> LEVELS = List.of("privileged", "baseline", "restricted");
  private static final String BASELINE = "baseline:latest";

  private PodSecurity() {}

  /** Whether the namespace's label lets its pods take over their node. */
  public static boolean privileged(Namespace ns) {
    return "privileged".equals(ns.getMetadata().getLabelsMap().get(ENFORCE_LABEL));
  }

  /**
   * Null when the pod may run in the namespace; else the reason it is forbidden, worded as
   * Kubernetes words it: {@code violates PodSecurity "baseline:latest": hostPath volumes (volume "root")}.
   */
  public static String violation(Namespace ns, Pod pod) {
    if (privileged(ns)) {
      return null;
    }
    List<String> reasons = baselineViolations(pod.getSpec());
    return reasons.isEmpty() ? null : "violates PodSecurity \"" + BASELINE + "\": " + String.join(", ", reasons);
  }

  /** In the order of Kubernetes' check IDs: hostNamespaces, hostPathVolumes, hostPorts, privileged. */
  static List<String> baselineViolations(PodSpec spec) {
    List<String> reasons = new ArrayList<>();
    if (spec.getHostNetwork()) {
      reasons.add("host namespaces (hostNetwork=true)");
    }
    List<String> hostPaths = spec.getVolumesList().stream().filter(Volume::hasHostPath).map(Volume::getName).toList();
    if (!hostPaths.isEmpty()) {
      reasons.add("hostPath volumes (" + plural(hostPaths, "volume", "volumes") + ")");
    }
    List<String> withHostPorts = new ArrayList<>();
    List<String> hostPorts = new ArrayList<>();
    containers(spec).forEach(c -> {
      List<String> ports = c.getPortsList().stream().filter(p -> p.getHostPort() != 0)
          .map(p -> String.valueOf(p.getHostPort())).toList();
      if (!ports.isEmpty()) {
        withHostPorts.add(c.getName());
        hostPorts.addAll(ports);
      }
    });
    if (!hostPorts.isEmpty()) {
      reasons.add("hostPort (" + plural(withHostPorts, "container", "containers") + " "
          + (withHostPorts.size() == 1 ? "uses" : "use") + " " + (hostPorts.size() == 1 ? "hostPort" : "hostPorts")
          + " " + String.join(", ", hostPorts) + ")");
    }
    List<String> privileged = containers(spec)
        .filter(c -> c.getSecurityContext().hasPrivileged() && c.getSecurityContext().getPrivileged())
        .map(Container::getName).toList();
    if (!privileged.isEmpty()) {
      reasons.add("privileged (" + plural(privileged, "container", "containers")
          + " must not set securityContext.privileged=true)");
    }
    return reasons;
  }

  /** The namespace label's value must be a level Kubernetes knows. */
  static void namespaceLabels(List<FieldError> errs, Map<String, String> labels) {
    String level = labels.get(ENFORCE_LABEL);
    if (level != null && !LEVELS.contains(level)) {
      errs.add(FieldPath.root("metadata").child("labels").key(ENFORCE_LABEL)
          .invalid(level, "must be one of " + String.join(", ", LEVELS)));
    }
  }

  private static Stream<Container> containers(PodSpec spec) {
    return Stream.concat(spec.getInitContainersList().stream(), spec.getContainersList().stream());
  }

  /** {@code container "a"} or {@code containers "a", "b"}, as the checks' pluralize and joinQuote print them. */
  private static String plural(List<String> names, String one, String many) {
    return (names.size() == 1 ? one : many) + " "
        + names.stream().map(GoValues::quote).collect(Collectors.joining(", "));
  }
}
