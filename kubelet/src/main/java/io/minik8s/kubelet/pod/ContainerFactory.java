package io.minik8s.kubelet.pod;

import io.minik8s.api.Container;
import io.minik8s.api.EnvVar;
import io.minik8s.api.Pod;
import io.minik8s.api.Service;
import io.minik8s.kubelet.Labels;
import io.minik8s.kubelet.container.ContainerConfig;
import io.minik8s.kubelet.container.Quantities;
import io.minik8s.kubelet.volume.VolumeManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Turns a pod's sandbox and container specs into what the runtime creates (kuberuntime's generateContainerConfig). */
public final class ContainerFactory {
  private final String nodeName;
  private final String network;
  private final String podInfraImage;
  private final String hostIp;
  private final VolumeManager volumes;
  private final String clusterDns;
  private final String clusterDomain;
  private final Function<String, List<Service>> servicesInNamespace;

  public ContainerFactory(String nodeName, String network, String podInfraImage, String hostIp, VolumeManager volumes,
      String clusterDns, String clusterDomain, Function<String, List<Service>> servicesInNamespace) {
    this.nodeName = nodeName;
    this.network = network;
    this.podInfraImage = podInfraImage;
    this.hostIp = hostIp;
    this.volumes = volumes;
    this.clusterDns = clusterDns;
    this.clusterDomain = clusterDomain;
    this.servicesInNamespace = servicesInNamespace;
  }

  public String podInfraImage() {
    return podInfraImage;
  }

  public String network() {
    return network;
  }

  /** The pause container: it only holds the network namespace (and so the IP) the app containers join. */
  public ContainerConfig sandbox(Pod pod, int attempt) {
    String hostname = pod.getSpec().getHostname().isEmpty() ? pod.getMetadata().getName() : pod.getSpec().getHostname();
    return new ContainerConfig(dockerName(pod, Labels.SANDBOX_NAME, attempt), podInfraImage, null, null, List.of(),
        "", labels(pod, Labels.SANDBOX_NAME, Labels.SANDBOX, attempt), List.of(), network,
        hostname.length() > 63 ? hostname.substring(0, 63) : hostname, 0, 0,
        PodDns.of(pod, clusterDns, clusterDomain));
  }

  public ContainerConfig container(Pod pod, Container c, String type, int restartCount, String sandboxId, String podIp) {
    List<String> entrypoint = c.getCommandCount() > 0 ? c.getCommandList() : null;
    // Kubernetes: a command without args drops the image's CMD too.
    List<String> cmd = c.getArgsCount() > 0 ? c.getArgsList() : entrypoint != null ? List.of() : null;
    Map<String, String> limits = c.getResources().getLimitsMap();
    return new ContainerConfig(dockerName(pod, c.getName(), restartCount), c.getImage(), entrypoint, cmd,
        env(pod, c, podIp), c.getWorkingDir(), labels(pod, c.getName(), type, restartCount),
        volumes.binds(pod, c), "container:" + sandboxId, null,
        limits.containsKey("cpu") ? Quantities.nanoCpus(limits.get("cpu")) : 0,
        limits.containsKey("memory") ? Quantities.bytes(limits.get("memory")) : 0, null);
  }

  private List<String> env(Pod pod, Container c, String podIp) {
    List<String> env = new ArrayList<>();
    // Service variables first: a container's own env of the same name wins (Docker keeps the last).
    if (!pod.getSpec().hasEnableServiceLinks() || pod.getSpec().getEnableServiceLinks()) {
      env.addAll(ServiceEnv.of(servicesInNamespace.apply(pod.getMetadata().getNamespace())));
    }
    for (EnvVar e : c.getEnvList()) {
      String value = e.getValue();
      if (e.hasValueFrom() && e.getValueFrom().hasFieldRef()) {
        value = switch (e.getValueFrom().getFieldRef().getFieldPath()) {
          case "metadata.name" -> pod.getMetadata().getName();
          case "metadata.namespace" -> pod.getMetadata().getNamespace();
          case "metadata.uid" -> pod.getMetadata().getUid();
          case "spec.nodeName" -> nodeName;
          case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
          case "status.podIP" -> podIp;
          case "status.hostIP" -> hostIp;
          default -> "";
        };
      }
      env.add(e.getName() + "=" + value);
    }
    return env;
  }

  private Map<String, String> labels(Pod pod, String container, String type, int restartCount) {
    Map<String, String> l = new HashMap<>();
    l.put(Labels.NODE, nodeName);
    l.put(Labels.POD_UID, pod.getMetadata().getUid());
    l.put(Labels.POD_NAME, pod.getMetadata().getName());
    l.put(Labels.POD_NAMESPACE, pod.getMetadata().getNamespace());
    l.put(Labels.CONTAINER_NAME, container);
    l.put(Labels.CONTAINER_TYPE, type);
    l.put(Labels.RESTART_COUNT, Integer.toString(restartCount));
    l.put(Labels.TERMINATION_GRACE, Long.toString(PodSyncer.gracePeriod(pod)));
    return l;
  }

  /** Docker names are unique per engine: the pod uid keeps two nodes' or two pods' names apart. */
  private static String dockerName(Pod pod, String container, int attempt) {
    return "k8s_" + container + "_" + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace()
        + "_" + pod.getMetadata().getUid() + "_" + attempt;
  }
}
