package io.minik8s.apiserver.admission;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.EnvVar;
import io.minik8s.api.PodSpec;
import io.minik8s.api.VolumeMount;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Containers and init containers of a PodSpec; their resources and probes have their own classes. */
final class ContainerValidation {
  static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
  private static final List<String> MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
  private static final List<String> ENV_FIELD_PATHS = List.of("metadata.annotations", "metadata.labels",
      "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
      "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs");
  private static final String NOT_FOR_INIT = "may not be set for init containers without restartPolicy=Always";

  private ContainerValidation() {}

  static void containers(List<FieldError> errs, PodSpec spec, Set<String> volumes, FieldPath specPath) {
    FieldPath path = specPath.child("containers");
    if (spec.getContainersCount() == 0) {
      errs.add(path.required(""));
    }
    // names are unique across both lists, since the kubelet keys container state by name
    Set<String> names = new HashSet<>();
    for (int i = 0; i < spec.getContainersCount(); i++) {
      Container c = spec.getContainers(i);
      FieldPath p = path.index(i);
      common(errs, c, volumes, names, p);
      ProbeValidation.probes(errs, c, p);
    }
    FieldPath initPath = specPath.child("initContainers");
    for (int i = 0; i < spec.getInitContainersCount(); i++) {
      Container c = spec.getInitContainers(i);
      FieldPath p = initPath.index(i);
      common(errs, c, volumes, names, p);
      // an init container runs to completion: there is nothing to probe
      if (c.hasLivenessProbe()) {
        errs.add(p.child("livenessProbe").forbidden(NOT_FOR_INIT));
      }
      if (c.hasReadinessProbe()) {
        errs.add(p.child("readinessProbe").forbidden(NOT_FOR_INIT));
      }
      if (c.hasStartupProbe()) {
        errs.add(p.child("startupProbe").forbidden(NOT_FOR_INIT));
      }
      if (c.hasLifecycle()) {
        errs.add(p.child("lifecycle").forbidden(NOT_FOR_INIT));
      }
    }
  }

  private static void common(List<FieldError> errs, Container c, Set<String> volumes, Set<String> names, FieldPath path) {
    FieldPath name = path.child("name");
    if (c.getName().isEmpty()) {
      errs.add(name.required(""));
    } else {
      Checks.format(errs, NameValidation.dns1123Label(c.getName()), name, c.getName());
    }
    if (!names.add(c.getName())) {
      errs.add(name.duplicate(c.getName()));
    }
    if (c.getImage().isEmpty()) {
      errs.add(path.child("image").required(""));
    } else if (!c.getImage().equals(c.getImage().strip())) {
      errs.add(path.child("image").invalid(c.getImage(), "must not have leading or trailing whitespace"));
    }
    ports(errs, c.getPortsList(), path.child("ports"));
    env(errs, c.getEnvList(), path.child("env"));
    mounts(errs, c.getVolumeMountsList(), volumes, path.child("volumeMounts"));
    ResourceValidation.containerResources(errs, c.getResources(), path.child("resources"));
    Checks.requiredOneOf(errs, c.getImagePullPolicy(), path.child("imagePullPolicy"), PULL_POLICIES);
    Checks.requiredOneOf(errs, c.getTerminationMessagePolicy(), path.child("terminationMessagePolicy"), MESSAGE_POLICIES);
  }

  private static void ports(List<FieldError> errs, List<ContainerPort> ports, FieldPath path) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      ContainerPort port = ports.get(i);
      FieldPath p = path.index(i);
      if (!port.getName().isEmpty()) {
        List<String> msgs = NameValidation.portName(port.getName());
        if (!msgs.isEmpty()) {
          Checks.format(errs, msgs, p.child("name"), port.getName());
        } else if (!names.add(port.getName())) {
          errs.add(p.child("name").duplicate(port.getName()));
        }
      }
      if (port.getContainerPort() == 0) {
        errs.add(p.child("containerPort").required(""));
      } else {
        NameValidation.portNumber(port.getContainerPort())
            .forEach(m -> errs.add(p.child("containerPort").invalid(port.getContainerPort(), m)));
      }
      if (port.getHostPort() != 0) {
        NameValidation.portNumber(port.getHostPort())
            .forEach(m -> errs.add(p.child("hostPort").invalid(port.getHostPort(), m)));
      }
      Checks.requiredOneOf(errs, port.getProtocol(), p.child("protocol"), PROTOCOLS);
    }
  }

  private static void env(List<FieldError> errs, List<EnvVar> env, FieldPath path) {
    for (int i = 0; i < env.size(); i++) {
      EnvVar e = env.get(i);
      FieldPath p = path.index(i);
      if (e.getName().isEmpty()) {
        errs.add(p.child("name").required(""));
      } else if (!e.getName().chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f && ch != '=')) {
        errs.add(p.child("name").invalid(e.getName(),
            "a valid environment variable name must consist only of printable ASCII characters other than '='"));
      }
      if (e.hasValueFrom()) {
        if (!e.getValue().isEmpty()) {
          errs.add(p.child("valueFrom").invalid("", "may not be specified when `value` is not empty"));
        }
        if (e.getValueFrom().hasFieldRef()) {
          fieldRef(errs, e.getValueFrom().getFieldRef().getFieldPath(), p.child("valueFrom").child("fieldRef").child("fieldPath"));
        }
      }
    }
  }

  private static void fieldRef(List<FieldError> errs, String fieldPath, FieldPath path) {
    if (fieldPath.isEmpty()) {
      errs.add(path.required(""));
    } else if (!ENV_FIELD_PATHS.contains(fieldPath)
        && !fieldPath.matches("metadata\\.(labels|annotations)\\['[^']+'\\]")) {
      errs.add(path.notSupported(fieldPath, ENV_FIELD_PATHS));
    }
  }

  private static void mounts(List<FieldError> errs, List<VolumeMount> mounts, Set<String> volumes, FieldPath path) {
    Set<String> mountPoints = new HashSet<>();
    for (int i = 0; i < mounts.size(); i++) {
      VolumeMount m = mounts.get(i);
      FieldPath p = path.index(i);
      if (m.getName().isEmpty()) {
        errs.add(p.child("name").required(""));
      }
      if (!volumes.contains(m.getName())) {
        errs.add(p.child("name").notFound(m.getName()));
      }
      if (m.getMountPath().isEmpty()) {
        errs.add(p.child("mountPath").required(""));
      }
      if (!mountPoints.add(m.getMountPath())) {
        errs.add(p.child("mountPath").invalid(m.getMountPath(), "must be unique"));
      }
      // Docker's bind syntax is source:target[:mode]: a colon would let the target name a mode or a second path
      if (m.getMountPath().contains(":")) {
        errs.add(p.child("mountPath").invalid(m.getMountPath(), "must not contain ':'"));
      }
      if (!m.getSubPath().isEmpty()) {
        localDescendingPath(errs, m.getSubPath(), p.child("subPath"));
      }
    }
  }

  /**
   * A path inside a volume (Kubernetes' validateLocalDescendingPath): relative and never stepping
   * up, so that it cannot name anything outside the volume. The kubelet checks again after
   * resolving symlinks, which this text check cannot see.
   */
  static void localDescendingPath(List<FieldError> errs, String path, FieldPath field) {
    if (path.startsWith("/") || path.startsWith("\\")) {
      errs.add(field.invalid(path, "must be a relative path"));
    }
    for (String element : path.split("[/\\\\]")) {
      if (element.equals("..")) {
        errs.add(field.invalid(path, "must not contain '..'"));
        break;
      }
    }
  }
}
