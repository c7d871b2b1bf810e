package io.minik8s.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.HostPathVolumeSource;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.SecurityContext;
import io.minik8s.api.Volume;
import io.minik8s.api.VolumeMount;
import io.minik8s.apiserver.admission.PodSecurity;
import io.minik8s.client.api.Resources;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pods that would take over their node are refused unless their namespace is labelled privileged. */
@Timeout(30)
class PodSecurityAdmissionTest {
  final RegistryFixture f = new RegistryFixture();

  static Pod rootHostPath(String name) {
    return change(RegistryFixture.pod(name), s -> s
        .addVolumes(Volume.newBuilder().setName("root").setHostPath(HostPathVolumeSource.newBuilder().setPath("/")))
        .setContainers(0, s.getContainers(0).toBuilder()
            .addVolumeMounts(VolumeMount.newBuilder().setName("root").setMountPath("/host"))));
  }

  static Pod change(Pod pod, UnaryOperator<io.minik8s.api.PodSpec.Builder> spec) {
    return pod.toBuilder().setSpec(spec.apply(pod.getSpec().toBuilder())).build();
  }

  private void assertRefused(Pod pod, String namespace, String message) {
    Pod in = pod.toBuilder().setMetadata(pod.getMetadata().toBuilder().setNamespace(namespace)).build();
    assertThatThrownBy(() -> f.registry.create(in, false))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.PERMISSION_DENIED))
        .hasMessage(message);
    assertThatThrownBy(() -> f.registry.create(in, true)).as("a dry run is refused the same").isInstanceOf(ApiException.class);
    assertThat(f.registry.find(Resources.PODS, namespace, pod.getMetadata().getName())).as("nothing stored").isEmpty();
  }

  @Test
  void aHostPathOfTheRootIsRefusedInANamespaceWithoutTheLabel() {
    assertRefused(rootHostPath("escape"), "ns",
        "pods \"escape\" is forbidden: violates PodSecurity \"baseline:latest\": hostPath volumes (volume \"root\")");
  }

  @Test
  void privilegedContainersHostNetworkAndHostPortsAreRefusedTogetherWithEveryReason() {
    Pod pod = change(RegistryFixture.pod("all"), s -> s.setHostNetwork(true)
        .setContainers(0, s.getContainers(0).toBuilder()
            .setSecurityContext(SecurityContext.newBuilder().setPrivileged(true))
            .addPorts(ContainerPort.newBuilder().setContainerPort(80).setHostPort(80))));
    assertRefused(pod, "ns", "pods \"all\" is forbidden: violates PodSecurity \"baseline:latest\": "
        + "host namespaces (hostNetwork=true), hostPort (container \"app\" uses hostPort 80), "
        + "privileged (container \"app\" must not set securityContext.privileged=true)");
  }

  @Test
  void anyLevelButPrivilegedIsBaseline() {
    label("strict", "restricted");
    Pod init = change(RegistryFixture.pod("init"), s -> s.addInitContainers(s.getContainers(0).toBuilder().setName("setup")
        .setSecurityContext(SecurityContext.newBuilder().setPrivileged(true))));
    assertRefused(init, "strict", "pods \"init\" is forbidden: violates PodSecurity \"baseline:latest\": "
        + "privileged (container \"setup\" must not set securityContext.privileged=true)");
    // privileged: false is what baseline allows
    Pod unprivileged = change(RegistryFixture.pod("plain"), s -> s.setContainers(0, s.getContainers(0).toBuilder()
        .setSecurityContext(SecurityContext.newBuilder().setPrivileged(false))));
    f.registry.create(unprivileged.toBuilder().setMetadata(unprivileged.getMetadata().toBuilder().setNamespace("strict")).build(), false);
  }

  @Test
  void aPrivilegedNamespaceAllowsThem() {
    label("system", "privileged");
    Pod pod = rootHostPath("agent");
    Pod created = (Pod) f.registry.create(pod.toBuilder().setMetadata(pod.getMetadata().toBuilder().setNamespace("system")).build(), false);
    assertThat(created.getSpec().getVolumes(0).getHostPath().getPath()).isEqualTo("/");
  }

  @Test
  void aNamespaceLabelMustNameALevel() {
    Namespace ns = Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("typo")
        .putLabels(PodSecurity.ENFORCE_LABEL, "privilegd")).build();
    assertThatThrownBy(() -> f.registry.create(ns, false))
        .isInstanceOf(ApiException.class)
        .hasMessage("Namespace \"typo\" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: "
            + "Invalid value: \"privilegd\": must be one of privileged, baseline, restricted");
    assertThat(f.registry.find(Resources.NAMESPACES, "", "typo")).isEmpty();
  }

  private void label(String name, String level) {
    f.registry.create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name)
        .putLabels(PodSecurity.ENFORCE_LABEL, level)).build(), false);
  }
}
