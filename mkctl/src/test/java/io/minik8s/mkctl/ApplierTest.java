package io.minik8s.mkctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.Container;
import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentSpec;
import io.minik8s.api.DeploymentStatus;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.client.api.Resources;
import org.junit.jupiter.api.Test;

class ApplierTest {
  private final FakeCluster cluster = new FakeCluster();
  private final Applier applier = new Applier(cluster);

  /** The manifest of examples/nginx-deployment.yaml, as parsed and placed in namespace default. */
  private static Deployment manifest(int replicas) {
    return Deployment.newBuilder().setApiVersion("apps/v1").setKind("Deployment")
        .setMetadata(ObjectMeta.newBuilder().setName("nginx-deployment").setNamespace("default").putLabels("app", "nginx"))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(replicas)
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", "nginx"))
            .setTemplate(PodTemplateSpec.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().putLabels("app", "nginx"))
                .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("nginx").setImage("nginx:1.15.4")))))
        .build();
  }

  private Deployment live() {
    return (Deployment) cluster.stored(Resources.DEPLOYMENTS, "default", "nginx-deployment");
  }

  /** The live object as controllers left it: status written, an annotation of their own. */
  private Deployment controllersWorkedOn() {
    Deployment d = live();
    return cluster.put(d.toBuilder()
        .setMetadata(d.getMetadata().toBuilder().putAnnotations("deployment.kubernetes.io/revision", "1")
            .setResourceVersion("500"))
        .setStatus(DeploymentStatus.newBuilder().setReplicas(3).setReadyReplicas(3).setObservedGeneration(1))
        .build());
  }

  @Test
  void anAbsentObjectIsCreatedWithItsLastAppliedConfiguration() {
    Applier.Result r = applier.apply(manifest(3));

    assertThat(r.outcome()).isEqualTo(Applier.Outcome.CREATED);
    assertThat(r.message()).isEqualTo("deployment.apps/nginx-deployment created");
    String annotation = live().getMetadata().getAnnotationsOrThrow(Applier.LAST_APPLIED);
    assertThat(annotation).contains("\"replicas\":3").doesNotContain(Applier.LAST_APPLIED).endsWith("}\n");
    assertThat(Applier.sameJson(annotation, Applier.lastAppliedOf(manifest(3)))).isTrue();
  }

  @Test
  void theSameManifestAgainIsUnchangedAndSendsNoUpdate() {
    applier.apply(manifest(3));
    controllersWorkedOn();

    Applier.Result r = applier.apply(manifest(3));

    assertThat(r.outcome()).isEqualTo(Applier.Outcome.UNCHANGED);
    assertThat(r.message()).isEqualTo("deployment.apps/nginx-deployment unchanged");
    assertThat(cluster.updates).isEmpty();
  }

  @Test
  void changedReplicasAreConfiguredKeepingResourceVersionStatusAndOtherAnnotations() {
    applier.apply(manifest(3));
    Deployment before = controllersWorkedOn();

    Applier.Result r = applier.apply(manifest(5));

    assertThat(r.outcome()).isEqualTo(Applier.Outcome.CONFIGURED);
    assertThat(r.message()).isEqualTo("deployment.apps/nginx-deployment configured");
    assertThat(cluster.updates).hasSize(1);
    Deployment sent = (Deployment) cluster.updates.get(0);
    assertThat(sent.getMetadata().getResourceVersion()).isEqualTo("500");
    assertThat(sent.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
    assertThat(sent.getStatus()).isEqualTo(before.getStatus());
    assertThat(sent.getSpec().getReplicas()).isEqualTo(5);
    assertThat(sent.getMetadata().getAnnotationsMap())
        .containsEntry("deployment.kubernetes.io/revision", "1")
        .containsKey(Applier.LAST_APPLIED);
    assertThat(Applier.sameJson(sent.getMetadata().getAnnotationsOrThrow(Applier.LAST_APPLIED),
        Applier.lastAppliedOf(manifest(5)))).isTrue();
  }

  @Test
  void aLabelDroppedFromTheManifestIsRemovedWhileLabelsAddedByOthersStay() {
    Deployment first = manifest(3);
    applier.apply(first.toBuilder().setMetadata(first.getMetadata().toBuilder().putLabels("tier", "web")).build());
    Deployment d = live();
    cluster.put(d.toBuilder().setMetadata(d.getMetadata().toBuilder().putLabels("owner", "ops")).build());

    applier.apply(manifest(3));

    assertThat(live().getMetadata().getLabelsMap()).containsOnlyKeys("app", "owner");
  }

  @Test
  void fieldsOtherThanSpecAreTakenFromTheManifestToo() {
    Endpoints live = Endpoints.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("ext").setNamespace("default").setResourceVersion("7"))
        .addSubsets(EndpointSubset.newBuilder().addAddresses(EndpointAddress.newBuilder().setIp("10.0.0.1")))
        .build();
    Endpoints manifest = Endpoints.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("ext").setNamespace("default"))
        .addSubsets(EndpointSubset.newBuilder().addAddresses(EndpointAddress.newBuilder().setIp("10.0.0.2")))
        .build();

    Message merged = Applier.merge(live, manifest, Applier.lastAppliedOf(manifest), null);

    assertThat(((Endpoints) merged).getSubsets(0).getAddresses(0).getIp()).isEqualTo("10.0.0.2");
    assertThat(((Endpoints) merged).getMetadata().getResourceVersion()).isEqualTo("7");
  }

  @Test
  void aConcurrentChangeMakesTheUpdateFailWithAConflict() {
    applier.apply(manifest(3));
    cluster.beforeUpdate = () -> cluster.put(live().toBuilder()
        .setMetadata(live().getMetadata().toBuilder().setResourceVersion("999")).build());

    assertThatThrownBy(() -> applier.apply(manifest(4)))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
  }

  @Test
  void anObjectWithoutNameIsRefused() {
    Deployment noName = manifest(1).toBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("default")).build();
    assertThatThrownBy(() -> applier.apply(noName)).isInstanceOf(MkctlException.class)
        .hasMessage("resource name may not be empty");
  }
}
