package io.minik8s.mkctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Node;
import io.minik8s.api.ObjectMeta;
import org.junit.jupiter.api.Test;

class GetCommandTest {
  private final MkctlRunner mkctl = new MkctlRunner();

  @Test
  void listsThePodsOfTheDefaultNamespaceAsATable() {
    mkctl.cluster.put(TestObjects.runningPod("default", "web-0", "web"));
    mkctl.cluster.put(TestObjects.runningPod("other", "elsewhere", "web"));

    MkctlRunner.Result r = mkctl.run("get", "pods");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("""
        NAME    READY   STATUS    RESTARTS   AGE
        web-0   1/1     Running   0          60m
        """);
  }

  @Test
  void allNamespacesAddsTheNamespaceColumn() {
    mkctl.cluster.put(TestObjects.runningPod("default", "web-0", "web"));
    mkctl.cluster.put(TestObjects.runningPod("other", "api-0", "api"));

    MkctlRunner.Result r = mkctl.run("get", "po", "-A");

    assertThat(r.out().lines().toList()).containsExactly(
        "NAMESPACE   NAME    READY   STATUS    RESTARTS   AGE",
        "default     web-0   1/1     Running   0          60m",
        "other       api-0   1/1     Running   0          60m");
  }

  @Test
  void anEmptyResultSaysSoOnStderrAndSucceeds() {
    MkctlRunner.Result r = mkctl.run("get", "deployments", "-n", "test");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("No resources found in test namespace.\n");
  }

  @Test
  void aMissingNameIsNotFoundWithExitCodeOne() {
    MkctlRunner.Result r = mkctl.run("get", "pod", "x");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("Error from server (NotFound): pods \"x\" not found\n");
  }

  @Test
  void anUnknownTypeIsReportedAsKubectlDoes() {
    MkctlRunner.Result r = mkctl.run("get", "foo");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: the server doesn't have a resource type \"foo\"\n");
  }

  @Test
  void typeSlashNameSelectsOneObjectAndLabelSelectorsFilter() {
    mkctl.cluster.put(TestObjects.runningPod("default", "web-0", "web"));
    mkctl.cluster.put(TestObjects.runningPod("default", "api-0", "api"));

    assertThat(mkctl.run("get", "pod/api-0", "-o", "name").out()).isEqualTo("pod/api-0\n");
    assertThat(mkctl.run("get", "pods", "-l", "app=web", "-o", "name").out()).isEqualTo("pod/web-0\n");
  }

  @Test
  void yamlOfOneNamedObjectIsTheObjectAndOfAListIsAList() {
    mkctl.cluster.put(TestObjects.deployment("default", "web", 2));
    mkctl.cluster.put(TestObjects.deployment("default", "api", 1));

    String one = mkctl.run("get", "deploy", "web", "-o", "yaml").out();
    assertThat(one).startsWith("apiVersion: apps/v1\nkind: Deployment\n").contains("  name: web\n").doesNotContain("kind: List");

    String list = mkctl.run("get", "deployments.apps", "-o", "yaml").out();
    assertThat(list).startsWith("apiVersion: v1\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n")
        .contains("kind: List\n").contains("    name: api\n").contains("    name: web\n");

    String json = mkctl.run("get", "deploy", "-o", "json").out();
    assertThat(json).startsWith("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {\n")
        .contains("\"kind\": \"List\"");
  }

  @Test
  void clusterScopedKindsIgnoreTheNamespace() {
    mkctl.cluster.put(Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("node-1")
        .setCreationTimestamp(FakeCluster.CREATED_AT)).build());

    MkctlRunner.Result r = mkctl.run("get", "nodes", "-n", "test", "-o", "name");

    assertThat(r.out()).isEqualTo("node/node-1\n");
    assertThat(mkctl.cluster.calls).contains("list nodes ");
  }

  @Test
  void severalTypesPrintOneTableEachWithKindPrefixedNames() {
    mkctl.cluster.put(TestObjects.deployment("default", "web", 2));
    mkctl.cluster.put(TestObjects.runningPod("default", "web-0", "web"));

    MkctlRunner.Result r = mkctl.run("get", "deploy,pods");

    assertThat(r.out()).contains("deployment.apps/web").contains("\n\nNAME").contains("pod/web-0");
  }

  @Test
  void anUnknownOutputFormatIsAnError() {
    MkctlRunner.Result r = mkctl.run("get", "pods", "-o", "xml");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: unable to match a printer suitable for the output format \"xml\"");
  }

  @Test
  void watchPrintsTheTableThenARowPerEventFromTheListsRevision() {
    mkctl.cluster.put(TestObjects.runningPod("default", "web-0", "web"));
    io.minik8s.api.Pod pending = TestObjects.runningPod("default", "web-1-long-name", "web").toBuilder()
        .setStatus(io.minik8s.api.PodStatus.newBuilder().setPhase("Pending")).build();
    mkctl.cluster.watchEvents.add(io.minik8s.api.WatchEvent.newBuilder().setType("BOOKMARK").setResourceVersion("150").build());
    mkctl.cluster.watchEvents.add(io.minik8s.api.WatchEvent.newBuilder().setType("ADDED")
        .setObject(io.minik8s.client.api.KubeObjects.wrap(pending)).build());

    MkctlRunner.Result r = mkctl.run("get", "pods", "-w");

    assertThat(r.out()).isEqualTo("""
        NAME    READY   STATUS    RESTARTS   AGE
        web-0   1/1     Running   0          60m
        web-1-long-name   0/1     Pending   0          60m
        """);
    assertThat(mkctl.cluster.watches.get(0).getResourceVersion()).isEqualTo("101");
    assertThat(r.err()).isEqualTo("Error from server (Expired): too old resource version\n");
  }
}
