package io.minik8s.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.Deployment;
import io.minik8s.api.Node;
import io.minik8s.api.NodeSpec;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.Service;
import io.minik8s.api.StatefulSet;
import io.minik8s.api.Toleration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What may and may not change between the stored object and its update. */
class UpdateValidationTest {
  private static final String POD_SPEC_FORBIDDEN = "spec: Forbidden: pod updates may not change fields other than "
      + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
      + "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it "
      + "was previously negative)";

  @Test
  void deploymentSelectorIsImmutable() {
    Deployment updated = changed(Samples.nginxDeployment(), (Deployment.Builder b) -> {
      b.getSpecBuilder().getSelectorBuilder().putMatchLabels("app", "web");
      b.getSpecBuilder().getTemplateBuilder().getMetadataBuilder().putLabels("app", "web");
    });

    assertThat(messages(updated, Samples.nginxDeployment())).containsExactly(
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\"}, "
            + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
  }

  @Test
  void replicaSetSelectorIsImmutable() {
    ReplicaSet updated = changed(Samples.frontendReplicaSet(), (ReplicaSet.Builder b) -> b.getSpecBuilder().getSelectorBuilder().clearMatchExpressions());

    assertThat(errors(updated, Samples.frontendReplicaSet()))
        .extracting(FieldError::field, FieldError::type, FieldError::detail)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("spec.selector", FieldError.Type.INVALID, "field is immutable"));
  }

  @Test
  void deploymentImageAndReplicasMayChange() {
    Deployment updated = changed(Samples.nginxDeployment(), (Deployment.Builder b) -> {
      b.getSpecBuilder().setReplicas(5);
      b.getSpecBuilder().getTemplateBuilder().getSpecBuilder().getContainersBuilder(0).setImage("nginx:1.16.1");
    });

    assertThat(errors(updated, Samples.nginxDeployment())).isEmpty();
  }

  @Test
  void updateIsAlsoCheckedLikeACreate() {
    Deployment updated = changed(Samples.nginxDeployment(), (Deployment.Builder b) -> b.getSpecBuilder().setReplicas(-1));

    assertThat(messages(updated, Samples.nginxDeployment()))
        .containsExactly("spec.replicas: Invalid value: -1: must be greater than or equal to 0");
  }

  @Test
  void nameIsImmutable() {
    Deployment updated = changed(Samples.nginxDeployment(), (Deployment.Builder b) -> b.getMetadataBuilder().setName("other"));

    assertThat(messages(updated, Samples.nginxDeployment()))
        .containsExactly("metadata.name: Invalid value: \"other\": field is immutable");
  }

  @Test
  void podImageMayChange() {
    Pod updated = changed(Samples.nginxPod(), (Pod.Builder b) -> b.getSpecBuilder().getContainersBuilder(0).setImage("nginx:1.16.1"));

    assertThat(errors(updated, Samples.nginxPod())).isEmpty();
  }

  @Test
  void podPortChangeIsForbidden() {
    Pod updated = changed(Samples.nginxPod(), (Pod.Builder b) -> b.getSpecBuilder().getContainersBuilder(0).setPorts(0,
        ContainerPort.newBuilder().setContainerPort(8080)));

    assertThat(messages(updated, Samples.nginxPod())).containsExactly(POD_SPEC_FORBIDDEN);
  }

  @Test
  void podRestartPolicyChangeIsForbidden() {
    Pod updated = changed(Samples.nginxPod(), (Pod.Builder b) -> b.getSpecBuilder().setRestartPolicy("Never"));

    assertThat(messages(updated, Samples.nginxPod())).containsExactly(POD_SPEC_FORBIDDEN);
  }

  @Test
  void podMayNotGainAContainer() {
    Pod updated = changed(Samples.nginxPod(), (Pod.Builder b) -> b.getSpecBuilder().addContainers(
        Container.newBuilder().setName("sidecar").setImage("busybox:1.36")));

    assertThat(messages(updated, Samples.nginxPod()))
        .containsExactly("spec.containers: Forbidden: pod updates may not add or remove containers");
  }

  @Test
  void unscheduledPodMayGetANode() {
    Pod updated = changed(Samples.nginxPod(), (Pod.Builder b) -> b.getSpecBuilder().setNodeName("node-1"));

    assertThat(errors(updated, Samples.nginxPod())).isEmpty();
  }

  @Test
  void scheduledPodMayNotMoveToAnotherNode() {
    Pod scheduled = changed(Samples.nginxPod(), (Pod.Builder b) -> b.getSpecBuilder().setNodeName("node-1"));
    Pod moved = changed(Samples.nginxPod(), (Pod.Builder b) -> b.getSpecBuilder().setNodeName("node-2"));

    assertThat(messages(moved, scheduled)).containsExactly(POD_SPEC_FORBIDDEN);
  }

  @Test
  void podTolerationsMayOnlyBeAdded() {
    Toleration gpu = Toleration.newBuilder().setKey("gpu").setOperator("Exists").setEffect("NoSchedule").build();
    Toleration disk = Toleration.newBuilder().setKey("disk").setOperator("Exists").build();
    Pod one = changed(Samples.nginxPod(), (Pod.Builder b) -> b.getSpecBuilder().addTolerations(gpu));
    Pod two = changed(Samples.nginxPod(), (Pod.Builder b) -> b.getSpecBuilder().addTolerations(gpu).addTolerations(disk));

    assertThat(errors(two, one)).isEmpty();
    assertThat(messages(one, two))
        .containsExactly("spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds");
  }

  @Test
  void podActiveDeadlineMayOnlyShrink() {
    Pod longer = changed(Samples.nginxPod(), (Pod.Builder b) -> b.getSpecBuilder().setActiveDeadlineSeconds(600));
    Pod shorter = changed(Samples.nginxPod(), (Pod.Builder b) -> b.getSpecBuilder().setActiveDeadlineSeconds(60));

    assertThat(errors(shorter, longer)).isEmpty();
    assertThat(messages(longer, shorter))
        .containsExactly("spec.activeDeadlineSeconds: Invalid value: 600: must be less than or equal to previous value");
  }

  @Test
  void statefulSetReplicasTemplateAndStrategyMayChange() {
    StatefulSet updated = changed(Samples.webStatefulSet(), (StatefulSet.Builder b) -> {
      b.getSpecBuilder().setReplicas(5).setMinReadySeconds(3).getUpdateStrategyBuilder().setType("OnDelete").clearRollingUpdate();
      b.getSpecBuilder().getTemplateBuilder().getSpecBuilder().getContainersBuilder(0).setImage("nginx:1.16.1");
    });

    assertThat(errors(updated, Samples.webStatefulSet())).isEmpty();
  }

  @Test
  void statefulSetServiceNameIsForbiddenToChange() {
    StatefulSet updated = changed(Samples.webStatefulSet(), (StatefulSet.Builder b) -> b.getSpecBuilder().setServiceName("web-2"));

    assertThat(messages(updated, Samples.webStatefulSet())).containsExactly(
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
            + "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' "
            + "are forbidden");
  }

  @Test
  void statefulSetSelectorIsImmutable() {
    StatefulSet updated = changed(Samples.webStatefulSet(), (StatefulSet.Builder b) -> {
      b.getSpecBuilder().getSelectorBuilder().putMatchLabels("tier", "db");
      b.getSpecBuilder().getTemplateBuilder().getMetadataBuilder().putLabels("tier", "db");
    });

    assertThat(errors(updated, Samples.webStatefulSet())).extracting(FieldError::field, FieldError::detail)
        .contains(org.assertj.core.groups.Tuple.tuple("spec.selector", "field is immutable"));
  }

  @Test
  void assignedClusterIpIsImmutable() {
    Service stored = changed(Samples.frontendService(), (Service.Builder b) -> b.getSpecBuilder().setClusterIp("10.96.0.10"));
    Service moved = changed(Samples.frontendService(), (Service.Builder b) -> b.getSpecBuilder().setClusterIp("10.96.0.11"));

    assertThat(messages(moved, stored)).containsExactly("spec.clusterIP: Invalid value: \"10.96.0.11\": field is immutable");
  }

  @Test
  void serviceUpdateWithoutClusterIpKeepsTheAssignedOne() {
    Service stored = changed(Samples.frontendService(), (Service.Builder b) -> b.getSpecBuilder().setClusterIp("10.96.0.10"));

    assertThat(errors(Samples.frontendService(), stored)).isEmpty();
  }

  @Test
  void claimStorageMayGrowButNotShrink() {
    PersistentVolumeClaim stored = claim("1Gi");

    assertThat(errors(claim("2Gi"), stored)).isEmpty();
    assertThat(messages(claim("512Mi"), stored))
        .containsExactly("spec.resources.requests.storage: Forbidden: field can not be less than previous value");
  }

  @Test
  void claimAccessModesAreImmutable() {
    PersistentVolumeClaim updated = changed(claim("1Gi"), (PersistentVolumeClaim.Builder b) -> b.getSpecBuilder().clearAccessModes().addAccessModes("ReadWriteMany"));

    assertThat(errors(updated, claim("1Gi"))).extracting(FieldError::field, FieldError::type)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("spec", FieldError.Type.FORBIDDEN));
  }

  @Test
  void nodePodCidrIsSetOnce() {
    Node bare = Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("node-1")).build();
    Node assigned = changed(bare, (Node.Builder b) -> b.setSpec(NodeSpec.newBuilder().setPodCidr("10.244.1.0/24")));
    Node reassigned = changed(bare, (Node.Builder b) -> b.setSpec(NodeSpec.newBuilder().setPodCidr("10.244.2.0/24")));

    assertThat(errors(assigned, bare)).isEmpty();
    assertThat(messages(reassigned, assigned))
        .containsExactly("spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \"\" to valid");
  }

  private static PersistentVolumeClaim claim(String size) {
    PersistentVolumeClaim.Builder b = Samples.webStatefulSet().getSpec().getVolumeClaimTemplates(0).toBuilder();
    b.getMetadataBuilder().setName("www-web-0").setNamespace("default");
    b.getSpecBuilder().getResourcesBuilder().putRequests("storage", size);
    return b.build();
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message, B extends Message.Builder> T changed(T obj, Consumer<B> change) {
    B b = (B) obj.toBuilder();
    change.accept(b);
    return (T) b.build();
  }

  private static List<FieldError> errors(Message updated, Message stored) {
    return Validation.validateUpdate(Defaulting.apply(updated), Defaulting.apply(stored));
  }

  private static List<String> messages(Message updated, Message stored) {
    return errors(updated, stored).stream().map(FieldError::toString).toList();
  }
}
