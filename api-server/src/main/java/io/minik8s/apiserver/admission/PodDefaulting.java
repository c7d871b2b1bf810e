package io.minik8s.apiserver.admission;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.EmptyDirVolumeSource;
import io.minik8s.api.HTTPGetAction;
import io.minik8s.api.LifecycleHandler;
import io.minik8s.api.PodSecurityContext;
import io.minik8s.api.PodSpec;
import io.minik8s.api.Probe;
import io.minik8s.api.ResourceRequirements;
import io.minik8s.api.Volume;

/**
 * Kubernetes' v1 defaults for a PodSpec and its containers, shared by Pods and pod templates.
 *
 * <p>Mirrors Kubernetes' pkg/apis/core/v1/defaults.go.
 */
final class PodDefaulting {
  private PodDefaulting() {}

  static void podSpec(PodSpec.Builder spec) {
    if (spec.getRestartPolicy().isEmpty()) {
      spec.setRestartPolicy("Always");
    }
    if (spec.getDnsPolicy().isEmpty()) {
      spec.setDnsPolicy("ClusterFirst");
    }
    if (spec.getSchedulerName().isEmpty()) {
      spec.setSchedulerName("default-scheduler");
    }
    if (!spec.hasTerminationGracePeriodSeconds()) {
      spec.setTerminationGracePeriodSeconds(30);
    }
    if (!spec.hasEnableServiceLinks()) {
      spec.setEnableServiceLinks(true);
    }
    if (!spec.hasSecurityContext()) {
      spec.setSecurityContext(PodSecurityContext.getDefaultInstance());
    }
    for (Volume.Builder v : spec.getVolumesBuilderList()) {
      // a volume given only a name is scratch space, as in Kubernetes manifests
      if (!v.hasEmptyDir() && !v.hasHostPath() && !v.hasPersistentVolumeClaim()) {
        v.setEmptyDir(EmptyDirVolumeSource.getDefaultInstance());
      }
    }
    spec.getContainersBuilderList().forEach(PodDefaulting::container);
    spec.getInitContainersBuilderList().forEach(PodDefaulting::container);
  }

  /**
   * A container with limits but no requests gets requests equal to its limits. Kubernetes does
   * this for Pods only, not templates, so a template keeps meaning what its author wrote.
   */
  static void requestsFromLimits(PodSpec.Builder spec) {
    spec.getContainersBuilderList().forEach(PodDefaulting::requestsFromLimits);
    spec.getInitContainersBuilderList().forEach(PodDefaulting::requestsFromLimits);
  }

  private static void requestsFromLimits(Container.Builder c) {
    if (c.getResources().getLimitsCount() == 0) {
      return;
    }
    ResourceRequirements.Builder r = c.getResourcesBuilder();
    r.getLimitsMap().forEach((name, limit) -> {
      if (!r.containsRequests(name)) {
        r.putRequests(name, limit);
      }
    });
  }

  private static void container(Container.Builder c) {
    if (c.getImagePullPolicy().isEmpty()) {
      // a moving tag must be re-pulled to mean what it says; a fixed tag or digest need not be
      c.setImagePullPolicy(imageTag(c.getImage()).equals("latest") ? "Always" : "IfNotPresent");
    }
    if (c.getTerminationMessagePath().isEmpty()) {
      c.setTerminationMessagePath("/dev/termination-log");
    }
    if (c.getTerminationMessagePolicy().isEmpty()) {
      c.setTerminationMessagePolicy("File");
    }
    for (ContainerPort.Builder p : c.getPortsBuilderList()) {
      if (p.getProtocol().isEmpty()) {
        p.setProtocol("TCP");
      }
    }
    if (c.hasLivenessProbe()) {
      probe(c.getLivenessProbeBuilder());
    }
    if (c.hasReadinessProbe()) {
      probe(c.getReadinessProbeBuilder());
    }
    if (c.hasStartupProbe()) {
      probe(c.getStartupProbeBuilder());
    }
    if (c.hasLifecycle() && c.getLifecycle().hasPostStart()) {
      hook(c.getLifecycleBuilder().getPostStartBuilder());
    }
    if (c.hasLifecycle() && c.getLifecycle().hasPreStop()) {
      hook(c.getLifecycleBuilder().getPreStopBuilder());
    }
    c.getEnvBuilderList().forEach(e -> {
      if (e.hasValueFrom() && e.getValueFrom().hasFieldRef() && e.getValueFrom().getFieldRef().getApiVersion().isEmpty()) {
        e.getValueFromBuilder().getFieldRefBuilder().setApiVersion("v1");
      }
    });
  }

  private static void probe(Probe.Builder p) {
    if (p.getTimeoutSeconds() == 0) {
      p.setTimeoutSeconds(1);
    }
    if (p.getPeriodSeconds() == 0) {
      p.setPeriodSeconds(10);
    }
    if (p.getSuccessThreshold() == 0) {
      p.setSuccessThreshold(1);
    }
    if (p.getFailureThreshold() == 0) {
      p.setFailureThreshold(3);
    }
    if (p.hasHttpGet()) {
      httpGet(p.getHttpGetBuilder());
    }
  }

  private static void hook(LifecycleHandler.Builder h) {
    if (h.hasHttpGet()) {
      httpGet(h.getHttpGetBuilder());
    }
  }

  private static void httpGet(HTTPGetAction.Builder h) {
    if (h.getPath().isEmpty()) {
      h.setPath("/");
    }
    if (h.getScheme().isEmpty()) {
      h.setScheme("HTTP");
    }
  }

  /**
   * The tag of an image reference: {@code latest} when it has neither tag nor digest, empty when
   * it is pinned by digest only. A colon before the last slash is a registry port, not a tag.
   */
  static String imageTag(String image) {
    if (image.isEmpty()) {
      return "";
    }
    int at = image.indexOf('@');
    String name = at >= 0 ? image.substring(0, at) : image;
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      return name.substring(colon + 1);
    }
    return at >= 0 ? "" : "latest";
  }
}
