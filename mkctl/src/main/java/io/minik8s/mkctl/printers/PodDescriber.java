package io.minik8s.mkctl.printers;

import io.minik8s.client.printers.Age;
import io.minik8s.client.printers.Format;
import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.ContainerState;
import io.minik8s.api.ContainerStatus;
import io.minik8s.api.EnvVar;
import io.minik8s.api.HTTPGetAction;
import io.minik8s.api.IntOrString;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.Probe;
import io.minik8s.api.Toleration;
import io.minik8s.api.Volume;
import io.minik8s.api.VolumeMount;
import io.minik8s.api.PodIP;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code describe pod}: where it runs, its status, each container (image, ports, state,
 * readiness, restarts, resources, probes, environment, mounts), conditions and volumes. The
 * pod-template part is shared with the workload kinds.
 */
public final class PodDescriber {
  static final Describer<Pod> POD = PodDescriber::describe;

  private PodDescriber() {}

  static void describe(Pod pod, DescribeWriter w, Describer.Context ctx) {
    var meta = pod.getMetadata();
    var spec = pod.getSpec();
    var st = pod.getStatus();
    w.field(0, "Name", meta.getName());
    w.field(0, "Namespace", meta.getNamespace());
    if (spec.hasPriority()) {
      w.field(0, "Priority", spec.getPriority());
    }
    if (!spec.getPriorityClassName().isEmpty()) {
      w.field(0, "Priority Class Name", spec.getPriorityClassName());
    }
    if (!spec.getServiceAccountName().isEmpty()) {
      w.field(0, "Service Account", spec.getServiceAccountName());
    }
    String node = spec.getNodeName().isEmpty() ? Format.NONE
        : st.getHostIp().isEmpty() ? spec.getNodeName() : spec.getNodeName() + "/" + st.getHostIp();
    w.field(0, "Node", node);
    if (!st.getStartTime().isEmpty()) {
      w.field(0, "Start Time", Describers.time(st.getStartTime(), ctx));
    }
    w.labels(0, "Labels", meta.getLabelsMap());
    w.annotations(0, "Annotations", meta.getAnnotationsMap());
    if (!meta.getDeletionTimestamp().isEmpty()) {
      w.field(0, "Status", "Terminating (lasts " + Age.since(meta.getDeletionTimestamp(), ctx.now()) + ")");
      if (meta.hasDeletionGracePeriodSeconds()) {
        w.field(0, "Termination Grace Period", meta.getDeletionGracePeriodSeconds() + "s");
      }
    } else {
      w.field(0, "Status", st.getPhase().isEmpty() ? "Pending" : st.getPhase());
    }
    if (!st.getReason().isEmpty()) {
      w.field(0, "Reason", st.getReason());
    }
    if (!st.getMessage().isEmpty()) {
      w.field(0, "Message", st.getMessage());
    }
    w.field(0, "IP", st.getPodIp());
    List<String> ips = st.getPodIpsList().stream().map(PodIP::getIp).toList();
    if (ips.isEmpty() && !st.getPodIp().isEmpty()) {
      ips = List.of(st.getPodIp());
    }
    if (ips.isEmpty()) {
      w.field(0, "IPs", Format.NONE);
    } else {
      w.section(0, "IPs");
      for (String ip : ips) {
        w.field(1, "IP", ip);
      }
    }
    String owner = Describers.controlledBy(meta);
    if (owner != null) {
      w.field(0, "Controlled By", owner);
    }
    if (spec.getInitContainersCount() > 0) {
      w.section(0, "Init Containers");
      containers(w, 1, spec.getInitContainersList(), st.getInitContainerStatusesList(), ctx);
    }
    w.section(0, "Containers");
    containers(w, 1, spec.getContainersList(), st.getContainerStatusesList(), ctx);
    if (st.getConditionsCount() > 0) {
      w.section(0, "Conditions");
      w.raw(1, "Type\tStatus");
      for (PodCondition c : st.getConditionsList()) {
        w.raw(1, c.getType() + "\t" + c.getStatus());
      }
    }
    volumes(w, 0, spec.getVolumesList());
    if (!st.getQosClass().isEmpty()) {
      w.field(0, "QoS Class", st.getQosClass());
    }
    w.labels(0, "Node-Selectors", spec.getNodeSelectorMap());
    tolerations(w, 0, spec.getTolerationsList());
  }

  /** The {@code Pod Template:} section of deployments, replica sets and stateful sets. */
  static void template(DescribeWriter w, PodTemplateSpec template, Describer.Context ctx) {
    PodSpec spec = template.getSpec();
    w.section(0, "Pod Template");
    w.labels(1, "Labels", template.getMetadata().getLabelsMap());
    if (template.getMetadata().getAnnotationsCount() > 0) {
      w.annotations(1, "Annotations", template.getMetadata().getAnnotationsMap());
    }
    if (!spec.getServiceAccountName().isEmpty()) {
      w.field(1, "Service Account", spec.getServiceAccountName());
    }
    if (spec.getInitContainersCount() > 0) {
      w.section(1, "Init Containers");
      containers(w, 2, spec.getInitContainersList(), List.of(), ctx);
    }
    w.section(1, "Containers");
    containers(w, 2, spec.getContainersList(), List.of(), ctx);
    volumes(w, 1, spec.getVolumesList());
    w.labels(1, "Node-Selectors", spec.getNodeSelectorMap());
    tolerations(w, 1, spec.getTolerationsList());
  }

  static void containers(DescribeWriter w, int level, List<Container> containers, List<ContainerStatus> statuses,
      Describer.Context ctx) {
    for (Container c : containers) {
      ContainerStatus status = statuses.stream().filter(s -> s.getName().equals(c.getName())).findFirst().orElse(null);
      w.section(level, c.getName());
      int l = level + 1;
      if (status != null && !status.getContainerId().isEmpty()) {
        w.field(l, "Container ID", status.getContainerId());
      }
      w.field(l, "Image", c.getImage());
      if (status != null && !status.getImageId().isEmpty()) {
        w.field(l, "Image ID", status.getImageId());
      }
      ports(w, l, c.getPortsList());
      if (c.getCommandCount() > 0) {
        w.section(l, "Command");
        c.getCommandList().forEach(s -> w.raw(l + 1, s));
      }
      if (c.getArgsCount() > 0) {
        w.section(l, "Args");
        c.getArgsList().forEach(s -> w.raw(l + 1, s));
      }
      if (status != null) {
        state(w, l, "State", status.getState(), ctx);
        if (hasState(status.getLastState())) {
          state(w, l, "Last State", status.getLastState(), ctx);
        }
        w.field(l, "Ready", status.getReady() ? "True" : "False");
        w.field(l, "Restart Count", status.getRestartCount());
      }
      resources(w, l, "Limits", c.getResources().getLimitsMap());
      resources(w, l, "Requests", c.getResources().getRequestsMap());
      if (c.hasLivenessProbe()) {
        w.field(l, "Liveness", probe(c.getLivenessProbe()));
      }
      if (c.hasReadinessProbe()) {
        w.field(l, "Readiness", probe(c.getReadinessProbe()));
      }
      if (c.hasStartupProbe()) {
        w.field(l, "Startup", probe(c.getStartupProbe()));
      }
      environment(w, l, c.getEnvList());
      mounts(w, l, c.getVolumeMountsList());
    }
  }

  private static void ports(DescribeWriter w, int level, List<ContainerPort> ports) {
    List<String> container = new ArrayList<>();
    List<String> host = new ArrayList<>();
    for (ContainerPort p : ports) {
      String proto = p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
      container.add(p.getContainerPort() + "/" + proto + (p.getName().isEmpty() ? "" : " (" + p.getName() + ")"));
      host.add(p.getHostPort() + "/" + proto);
    }
    if (container.size() <= 1) {
      w.field(level, "Port", container.isEmpty() ? Format.NONE : container.get(0));
      w.field(level, "Host Port", host.isEmpty() ? Format.NONE : host.get(0));
    } else {
      w.field(level, "Ports", String.join(", ", container));
      w.field(level, "Host Ports", String.join(", ", host));
    }
  }

  private static boolean hasState(ContainerState s) {
    return s.hasRunning() || s.hasWaiting() || s.hasTerminated();
  }

  private static void state(DescribeWriter w, int level, String key, ContainerState s, Describer.Context ctx) {
    if (s.hasRunning()) {
      w.field(level, key, "Running");
      w.field(level + 1, "Started", Describers.time(s.getRunning().getStartedAt(), ctx));
    } else if (s.hasTerminated()) {
      var t = s.getTerminated();
      w.field(level, key, "Terminated");
      w.field(level + 1, "Reason", Format.orNone(t.getReason()));
      if (!t.getMessage().isEmpty()) {
        w.field(level + 1, "Message", t.getMessage());
      }
      w.field(level + 1, "Exit Code", t.getExitCode());
      if (t.getSignal() != 0) {
        w.field(level + 1, "Signal", t.getSignal());
      }
      w.field(level + 1, "Started", Describers.time(t.getStartedAt(), ctx));
      w.field(level + 1, "Finished", Describers.time(t.getFinishedAt(), ctx));
    } else {
      w.field(level, key, "Waiting");
      if (s.hasWaiting() && !s.getWaiting().getReason().isEmpty()) {
        w.field(level + 1, "Reason", s.getWaiting().getReason());
      }
      if (s.hasWaiting() && !s.getWaiting().getMessage().isEmpty()) {
        w.field(level + 1, "Message", s.getWaiting().getMessage());
      }
    }
  }

  private static void resources(DescribeWriter w, int level, String key, Map<String, String> amounts) {
    if (amounts.isEmpty()) {
      return;
    }
    w.section(level, key);
    new TreeMap<>(amounts).forEach((k, v) -> w.field(level + 1, k, v));
  }

  /** {@code http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3}. */
  static String probe(Probe p) {
    String action;
    if (p.hasHttpGet()) {
      HTTPGetAction h = p.getHttpGet();
      String scheme = h.getScheme().isEmpty() ? "http" : h.getScheme().toLowerCase(java.util.Locale.ROOT);
      action = "http-get " + scheme + "://" + h.getHost() + ":" + port(h.getPort()) + h.getPath();
    } else if (p.hasTcpSocket()) {
      action = "tcp-socket " + p.getTcpSocket().getHost() + ":" + port(p.getTcpSocket().getPort());
    } else if (p.hasExec()) {
      action = "exec [" + String.join(" ", p.getExec().getCommandList()) + "]";
    } else {
      action = "unknown";
    }
    return action + " delay=" + p.getInitialDelaySeconds() + "s"
        + " timeout=" + orDefault(p.getTimeoutSeconds(), 1) + "s"
        + " period=" + orDefault(p.getPeriodSeconds(), 10) + "s"
        + " #success=" + orDefault(p.getSuccessThreshold(), 1)
        + " #failure=" + orDefault(p.getFailureThreshold(), 3);
  }

  private static int orDefault(int v, int dflt) {
    return v == 0 ? dflt : v;
  }

  private static String port(IntOrString p) {
    return p.hasStrVal() ? p.getStrVal() : Integer.toString(p.getIntVal());
  }

  private static void environment(DescribeWriter w, int level, List<EnvVar> env) {
    if (env.isEmpty()) {
      w.field(level, "Environment", Format.NONE);
      return;
    }
    w.section(level, "Environment");
    for (EnvVar e : env) {
      String value = e.hasValueFrom() && e.getValueFrom().hasFieldRef()
          ? " (" + orV1(e.getValueFrom().getFieldRef().getApiVersion()) + ":" + e.getValueFrom().getFieldRef().getFieldPath() + ")"
          : e.getValue();
      w.field(level + 1, e.getName(), value);
    }
  }

  private static String orV1(String apiVersion) {
    return apiVersion.isEmpty() ? "v1" : apiVersion;
  }

  private static void mounts(DescribeWriter w, int level, List<VolumeMount> mounts) {
    if (mounts.isEmpty()) {
      w.field(level, "Mounts", Format.NONE);
      return;
    }
    w.section(level, "Mounts");
    for (VolumeMount m : mounts) {
      String path = m.getSubPath().isEmpty() ? m.getMountPath() : m.getMountPath() + " (path \"" + m.getSubPath() + "\")";
      w.raw(level + 1, path + " from " + m.getName() + " (" + (m.getReadOnly() ? "ro" : "rw") + ")");
    }
  }

  static void volumes(DescribeWriter w, int level, List<Volume> volumes) {
    if (volumes.isEmpty()) {
      w.field(level, "Volumes", Format.NONE);
      return;
    }
    w.section(level, "Volumes");
    for (Volume v : volumes) {
      w.section(level + 1, v.getName());
      int l = level + 2;
      if (v.hasPersistentVolumeClaim()) {
        w.field(l, "Type", "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)");
        w.field(l, "ClaimName", v.getPersistentVolumeClaim().getClaimName());
        w.field(l, "ReadOnly", v.getPersistentVolumeClaim().getReadOnly());
      } else if (v.hasHostPath()) {
        w.field(l, "Type", "HostPath (bare host directory volume)");
        w.field(l, "Path", v.getHostPath().getPath());
        w.field(l, "HostPathType", v.getHostPath().getType());
      } else if (v.hasEmptyDir()) {
        w.field(l, "Type", "EmptyDir (a temporary directory that shares a pod's lifetime)");
        w.field(l, "Medium", v.getEmptyDir().getMedium());
        w.field(l, "SizeLimit", v.getEmptyDir().getSizeLimit().isEmpty() ? "<unset>" : v.getEmptyDir().getSizeLimit());
      } else {
        w.field(l, "Type", "<unknown>");
      }
    }
  }

  static void tolerations(DescribeWriter w, int level, List<Toleration> tolerations) {
    List<String> lines = new ArrayList<>();
    for (Toleration t : tolerations) {
      StringBuilder sb = new StringBuilder(t.getKey());
      if (!t.getValue().isEmpty()) {
        sb.append('=').append(t.getValue());
      }
      if (!t.getEffect().isEmpty()) {
        sb.append(':').append(t.getEffect());
      }
      if (t.getOperator().equals("Exists") && t.getValue().isEmpty()) {
        sb.append(" op=Exists");
      }
      if (t.hasTolerationSeconds()) {
        sb.append(" for ").append(t.getTolerationSeconds()).append('s');
      }
      lines.add(sb.toString());
    }
    w.lines(level, "Tolerations", lines);
  }
}
