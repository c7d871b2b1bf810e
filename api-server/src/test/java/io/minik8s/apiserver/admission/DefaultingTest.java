package io.minik8s.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import io.minik8s.api.Container;
import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentSpec;
import io.minik8s.api.HTTPGetAction;
import io.minik8s.api.IntOrString;
import io.minik8s.api.Lease;
import io.minik8s.api.LeaseSpec;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.Probe;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.Scale;
import io.minik8s.api.Service;
import io.minik8s.api.ServiceSpec;
import io.minik8s.api.StatefulSet;
import io.minik8s.api.StatefulSetSpec;
import io.minik8s.api.Volume;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DefaultingTest {
  private static final IntOrString TWENTY_FIVE_PERCENT = IntOrString.newBuilder().setStrVal("25%").build();

  @Test
  void deploymentGetsStrategyHistoryAndDeadline() {
    DeploymentSpec spec = Defaulting.apply(Samples.nginxDeployment()).getSpec();

    assertThat(spec.getReplicas()).isEqualTo(3);
    assertThat(spec.getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(spec.getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(TWENTY_FIVE_PERCENT);
    assertThat(spec.getStrategy().getRollingUpdate().getMaxSurge()).isEqualTo(TWENTY_FIVE_PERCENT);
    assertThat(spec.getRevisionHistoryLimit()).isEqualTo(10);
    assertThat(spec.getProgressDeadlineSeconds()).isEqualTo(600);
    assertThat(spec.hasSelector()).isTrue();
    assertThat(spec.getSelector()).isEqualTo(Samples.nginxDeployment().getSpec().getSelector());
  }

  @Test
  void recreateDeploymentGetsNoRollingUpdate() {
    Deployment d = Samples.nginxDeployment().toBuilder()
        .setSpec(Samples.nginxDeployment().getSpec().toBuilder().setStrategy(
            io.minik8s.api.DeploymentStrategy.newBuilder().setType("Recreate")))
        .build();

    assertThat(Defaulting.apply(d).getSpec().getStrategy().hasRollingUpdate()).isFalse();
  }

  @Test
  void templatePodSpecGetsPodDefaults() {
    PodSpec spec = Defaulting.apply(Samples.nginxDeployment()).getSpec().getTemplate().getSpec();

    assertThat(spec.getRestartPolicy()).isEqualTo("Always");
    assertThat(spec.getDnsPolicy()).isEqualTo("ClusterFirst");
    assertThat(spec.getSchedulerName()).isEqualTo("default-scheduler");
    assertThat(spec.getTerminationGracePeriodSeconds()).isEqualTo(30);
    assertThat(spec.getEnableServiceLinks()).isTrue();
    assertThat(spec.getTolerationsList()).isEmpty();
    Container c = spec.getContainers(0);
    assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(c.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(c.getTerminationMessagePolicy()).isEqualTo("File");
    assertThat(c.getPorts(0).getProtocol()).isEqualTo("TCP");
  }

  @Test
  void explicitValuesAreKept() {
    Pod pod = Samples.nginxPod().toBuilder()
        .setSpec(Samples.nginxPod().getSpec().toBuilder().setRestartPolicy("OnFailure").setTerminationGracePeriodSeconds(0)
            .setContainers(0, Samples.nginxPod().getSpec().getContainers(0).toBuilder().setImagePullPolicy("Never")))
        .build();

    PodSpec spec = Defaulting.apply(pod).getSpec();

    assertThat(spec.getRestartPolicy()).isEqualTo("OnFailure");
    assertThat(spec.getTerminationGracePeriodSeconds()).isZero();
    assertThat(spec.getContainers(0).getImagePullPolicy()).isEqualTo("Never");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "nginx, Always",
      "nginx:latest, Always",
      "nginx:1.15.4, IfNotPresent",
      "nginx@sha256:0123456789abcdef, IfNotPresent",
      "nginx:1.15.4@sha256:0123456789abcdef, IfNotPresent",
      "localhost:5000/nginx, Always",
      "localhost:5000/nginx:1.2, IfNotPresent",
      "gcr.io/google_samples/gb-frontend:v3, IfNotPresent",
  })
  void pullPolicyFollowsTheImageTag(String image, String policy) {
    Pod pod = podWith(Container.newBuilder().setName("c").setImage(image).build());

    assertThat(Defaulting.apply(pod).getSpec().getContainers(0).getImagePullPolicy()).isEqualTo(policy);
  }

  @Test
  void initContainersAreDefaultedLikeContainers() {
    Pod pod = Samples.nginxPod().toBuilder()
        .setSpec(Samples.nginxPod().getSpec().toBuilder().addInitContainers(Container.newBuilder().setName("init").setImage("busybox")))
        .build();

    Container init = Defaulting.apply(pod).getSpec().getInitContainers(0);

    assertThat(init.getImagePullPolicy()).isEqualTo("Always");
    assertThat(init.getTerminationMessagePolicy()).isEqualTo("File");
  }

  @Test
  void probeGetsTimingsAndHttpDefaults() {
    Probe bare = Probe.newBuilder().setHttpGet(HTTPGetAction.newBuilder().setPort(IntOrString.newBuilder().setIntVal(80))).build();
    Pod pod = podWith(Container.newBuilder().setName("c").setImage("nginx:1").setLivenessProbe(bare).setReadinessProbe(bare).build());

    Container c = Defaulting.apply(pod).getSpec().getContainers(0);

    for (Probe p : List.of(c.getLivenessProbe(), c.getReadinessProbe())) {
      assertThat(p.getTimeoutSeconds()).isEqualTo(1);
      assertThat(p.getPeriodSeconds()).isEqualTo(10);
      assertThat(p.getSuccessThreshold()).isEqualTo(1);
      assertThat(p.getFailureThreshold()).isEqualTo(3);
      assertThat(p.getHttpGet().getPath()).isEqualTo("/");
      assertThat(p.getHttpGet().getScheme()).isEqualTo("HTTP");
    }
    assertThat(c.hasStartupProbe()).isFalse();
  }

  @Test
  void podRequestsDefaultToLimitsPerResource() {
    Container c = Container.newBuilder().setName("c").setImage("nginx:1")
        .setResources(io.minik8s.api.ResourceRequirements.newBuilder()
            .putLimits("cpu", "500m").putLimits("memory", "128Mi").putRequests("cpu", "250m"))
        .build();

    Container defaulted = Defaulting.apply(podWith(c)).getSpec().getContainers(0);

    assertThat(defaulted.getResources().getRequestsMap()).isEqualTo(Map.of("cpu", "250m", "memory", "128Mi"));
  }

  @Test
  void templateRequestsAreNotDefaultedToLimits() {
    Deployment.Builder b = Samples.nginxDeployment().toBuilder();
    b.getSpecBuilder().getTemplateBuilder().getSpecBuilder().getContainersBuilder(0).getResourcesBuilder().putLimits("cpu", "1");

    Container c = Defaulting.apply(b.build()).getSpec().getTemplate().getSpec().getContainers(0);

    assertThat(c.getResources().getRequestsMap()).isEmpty();
  }

  @Test
  void volumeWithOnlyANameBecomesEmptyDir() {
    Pod pod = Samples.nginxPod().toBuilder()
        .setSpec(Samples.nginxPod().getSpec().toBuilder().addVolumes(Volume.newBuilder().setName("cache")))
        .build();

    assertThat(Defaulting.apply(pod).getSpec().getVolumes(0).hasEmptyDir()).isTrue();
  }

  @Test
  void replicaSetWithoutReplicasGetsOne() {
    ReplicaSet rs = Samples.frontendReplicaSet().toBuilder()
        .setSpec(Samples.frontendReplicaSet().getSpec().toBuilder().clearReplicas())
        .build();

    ReplicaSet defaulted = Defaulting.apply(rs);

    assertThat(defaulted.getSpec().getReplicas()).isEqualTo(1);
    assertThat(defaulted.getSpec().getSelector()).isEqualTo(rs.getSpec().getSelector());
  }

  @Test
  void statefulSetGetsPolicyStrategyRetentionAndClaimVolumeMode() {
    StatefulSetSpec spec = Defaulting.apply(Samples.webStatefulSet()).getSpec();

    assertThat(spec.getReplicas()).isEqualTo(3);
    assertThat(spec.getPodManagementPolicy()).isEqualTo("OrderedReady");
    assertThat(spec.getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(spec.getUpdateStrategy().getRollingUpdate().hasPartition()).isTrue();
    assertThat(spec.getUpdateStrategy().getRollingUpdate().getPartition()).isZero();
    assertThat(spec.getRevisionHistoryLimit()).isEqualTo(10);
    assertThat(spec.getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
    assertThat(spec.getPersistentVolumeClaimRetentionPolicy().getWhenScaled()).isEqualTo("Retain");
    assertThat(spec.getVolumeClaimTemplates(0).getSpec().getVolumeMode()).isEqualTo("Filesystem");
    assertThat(spec.getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(10);
  }

  @Test
  void onDeleteStatefulSetGetsNoRollingUpdate() {
    StatefulSet.Builder b = Samples.webStatefulSet().toBuilder();
    b.getSpecBuilder().getUpdateStrategyBuilder().setType("OnDelete");

    assertThat(Defaulting.apply(b.build()).getSpec().getUpdateStrategy().hasRollingUpdate()).isFalse();
  }

  @Test
  void nodePortServiceGetsPoliciesFamiliesAndProtocol() {
    ServiceSpec spec = Defaulting.apply(Samples.frontendService()).getSpec();

    assertThat(spec.getType()).isEqualTo("NodePort");
    assertThat(spec.getSessionAffinity()).isEqualTo("None");
    assertThat(spec.getPorts(0).getProtocol()).isEqualTo("TCP");
    assertThat(spec.getPorts(0).getTargetPort().getIntVal()).isEqualTo(80);
    assertThat(spec.getPorts(0).getNodePort()).isEqualTo(30080);
    assertThat(spec.getExternalTrafficPolicy()).isEqualTo("Cluster");
    assertThat(spec.getInternalTrafficPolicy()).isEqualTo("Cluster");
    assertThat(spec.getIpFamiliesList()).containsExactly("IPv4");
    assertThat(spec.getIpFamilyPolicy()).isEqualTo("SingleStack");
  }

  @Test
  void headlessServiceGetsTargetPortFromPortAndNoExternalPolicy() {
    ServiceSpec spec = Defaulting.apply(Samples.webService()).getSpec();

    assertThat(spec.getType()).isEqualTo("ClusterIP");
    assertThat(spec.getClusterIp()).isEqualTo("None");
    assertThat(spec.getClusterIpsList()).containsExactly("None");
    assertThat(spec.getPorts(0).getTargetPort()).isEqualTo(IntOrString.newBuilder().setIntVal(80).build());
    assertThat(spec.getExternalTrafficPolicy()).isEmpty();
    assertThat(spec.getIpFamiliesList()).containsExactly("IPv4");
    assertThat(spec.getIpFamilyPolicy()).isEqualTo("SingleStack");
  }

  @Test
  void clientIpAffinityGetsThreeHourTimeout() {
    Service.Builder b = Samples.frontendService().toBuilder();
    b.getSpecBuilder().setSessionAffinity("ClientIP");

    assertThat(Defaulting.apply(b.build()).getSpec().getSessionAffinityConfig().getClientIp().getTimeoutSeconds())
        .isEqualTo(10800);
  }

  @Test
  void namespaceGetsKubernetesFinalizerAndActivePhase() {
    Namespace ns = Defaulting.apply(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("team-a")).build());

    assertThat(ns.getSpec().getFinalizersList()).containsExactly("kubernetes");
    assertThat(ns.getStatus().getPhase()).isEqualTo("Active");
  }

  @Test
  void terminatingNamespaceDoesNotGetItsFinalizerBack() {
    Namespace terminating = Namespace.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("team-a").setDeletionTimestamp("2025-01-01T00:00:00Z"))
        .setStatus(io.minik8s.api.NamespaceStatus.newBuilder().setPhase("Terminating"))
        .build();

    Namespace ns = Defaulting.apply(terminating);

    assertThat(ns.getSpec().getFinalizersList()).isEmpty();
    assertThat(ns.getStatus().getPhase()).isEqualTo("Terminating");
  }

  @Test
  void claimGetsFilesystemVolumeMode() {
    PersistentVolumeClaim pvc = Samples.webStatefulSet().getSpec().getVolumeClaimTemplates(0);

    assertThat(Defaulting.apply(pvc).getSpec().getVolumeMode()).isEqualTo("Filesystem");
  }

  @Test
  void leaseIsLeftAsIs() {
    Lease lease = Lease.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("node-1"))
        .setSpec(LeaseSpec.newBuilder().setHolderIdentity("node-1")).build();

    assertThat(Defaulting.apply(lease)).isEqualTo(lease);
  }

  @Test
  void rejectsMessagesThatAreNoApiKind() {
    assertThatThrownBy(() -> Defaulting.apply(Scale.getDefaultInstance())).isInstanceOf(IllegalArgumentException.class);
  }

  static Stream<Message> samples() {
    return Stream.concat(Samples.all().stream(), Stream.of(
        Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("team-a")).build(),
        Samples.webStatefulSet().getSpec().getVolumeClaimTemplates(0)));
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("samples")
  void applyingTwiceChangesNothingMore(Message sample) {
    Message once = Defaulting.apply(sample);

    assertThat(Defaulting.apply(once)).isEqualTo(once);
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("samples")
  void leavesTypeAndMetadataToTheStorageLayer(Message sample) {
    Message defaulted = Defaulting.apply(sample);

    for (String field : List.of("api_version", "kind", "metadata")) {
      var f = sample.getDescriptorForType().findFieldByName(field);
      assertThat(defaulted.getField(f)).as(field).isEqualTo(sample.getField(f));
    }
  }

  private static Pod podWith(Container c) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("p").setNamespace("default"))
        .setSpec(PodSpec.newBuilder().addContainers(c))
        .build();
  }
}
