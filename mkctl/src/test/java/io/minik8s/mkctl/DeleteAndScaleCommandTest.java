package io.minik8s.mkctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.DeleteRequest;
import io.minik8s.api.Deployment;
import io.minik8s.client.api.Resources;
import org.junit.jupiter.api.Test;

class DeleteAndScaleCommandTest {
  private final MkctlRunner mkctl = new MkctlRunner();

  @Test
  void deletesByNameAndPrintsKubectlsLine() {
    mkctl.cluster.put(TestObjects.runningPod("default", "web-0", "web"));
    mkctl.cluster.put(TestObjects.deployment("default", "nginx-deployment", 3));

    assertThat(mkctl.run("delete", "pod", "web-0").out()).isEqualTo("pod \"web-0\" deleted\n");
    assertThat(mkctl.run("delete", "deploy/nginx-deployment").out())
        .isEqualTo("deployment.apps \"nginx-deployment\" deleted\n");
    assertThat(mkctl.cluster.size()).isZero();
    assertThat(mkctl.cluster.deletes.get(0).getPropagationPolicy()).isEqualTo("Background");
    assertThat(mkctl.cluster.deletes.get(0).hasGracePeriodSeconds()).isFalse();
  }

  @Test
  void aMissingObjectIsAnErrorUnlessIgnored() {
    MkctlRunner.Result r = mkctl.run("delete", "pod", "x");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("Error from server (NotFound): pods \"x\" not found\n");

    MkctlRunner.Result ignored = mkctl.run("delete", "pod", "x", "--ignore-not-found");
    assertThat(ignored.exitCode()).isZero();
    assertThat(ignored.err()).isEmpty();
  }

  @Test
  void deletesBySelectorCascadeAndGracePeriod() {
    mkctl.cluster.put(TestObjects.runningPod("default", "web-0", "web"));
    mkctl.cluster.put(TestObjects.runningPod("default", "web-1", "web"));
    mkctl.cluster.put(TestObjects.runningPod("default", "api-0", "api"));

    MkctlRunner.Result r = mkctl.run("delete", "pods", "-l", "app=web", "--cascade=orphan", "--grace-period=5");

    assertThat(r.out()).isEqualTo("pod \"web-0\" deleted\npod \"web-1\" deleted\n");
    DeleteRequest sent = mkctl.cluster.deletes.get(0);
    assertThat(sent.getPropagationPolicy()).isEqualTo("Orphan");
    assertThat(sent.getGracePeriodSeconds()).isEqualTo(5);
    assertThat(mkctl.cluster.size()).isEqualTo(1);
  }

  @Test
  void forceWithZeroGraceDeletesAtOnceWithAWarning() {
    mkctl.cluster.put(TestObjects.runningPod("default", "web-0", "web"));

    MkctlRunner.Result r = mkctl.run("delete", "pod", "web-0", "--force", "--grace-period=0");

    assertThat(r.out()).isEqualTo("pod \"web-0\" force deleted\n");
    assertThat(r.err()).startsWith("Warning: Immediate deletion does not wait");
    assertThat(mkctl.cluster.deletes.get(0).getGracePeriodSeconds()).isZero();
  }

  @Test
  void nowMeansOneSecondAndZeroWithoutForceToo() {
    mkctl.cluster.put(TestObjects.runningPod("default", "a", "web"));
    mkctl.cluster.put(TestObjects.runningPod("default", "b", "web"));

    mkctl.run("delete", "pod", "a", "--now");
    mkctl.run("delete", "pod", "b", "--grace-period=0");

    assertThat(mkctl.cluster.deletes).extracting(DeleteRequest::getGracePeriodSeconds).containsExactly(1L, 1L);
  }

  @Test
  void aTypeWithoutNamesOrSelectorIsRefused() {
    MkctlRunner.Result r = mkctl.run("delete", "pods");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: resource(s) were provided, but no name was specified\n");
  }

  @Test
  void scaleSetsTheReplicasThroughTheScaleSubresource() {
    mkctl.cluster.put(TestObjects.deployment("default", "nginx-deployment", 3));

    MkctlRunner.Result r = mkctl.run("scale", "deployment/nginx-deployment", "--replicas=5");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("deployment.apps/nginx-deployment scaled\n");
    Deployment d = (Deployment) mkctl.cluster.stored(Resources.DEPLOYMENTS, "default", "nginx-deployment");
    assertThat(d.getSpec().getReplicas()).isEqualTo(5);
  }

  @Test
  void scaleChecksTheCurrentReplicasPrecondition() {
    mkctl.cluster.put(TestObjects.deployment("default", "web", 3));

    MkctlRunner.Result r = mkctl.run("scale", "deploy", "web", "--current-replicas=2", "--replicas=1");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: Expected replicas to be 2, was 3\n");
    assertThat(((Deployment) mkctl.cluster.stored(Resources.DEPLOYMENTS, "default", "web")).getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void scaleRefusesKindsWithoutScaleSubresource() {
    MkctlRunner.Result r = mkctl.run("scale", "pod", "web-0", "--replicas=2");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: cannot scale pods");
  }
}
