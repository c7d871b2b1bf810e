package io.minik8s.client.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.minik8s.api.ControllerRevision;
import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentSpec;
import io.minik8s.api.DeploymentStrategy;
import io.minik8s.api.EmptyDirVolumeSource;
import io.minik8s.api.IntOrString;
import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.NodeStatus;
import io.minik8s.api.Object;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.RollingUpdateDeployment;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.api.Volume;
import io.minik8s.client.api.KubeObjects;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Value mapping in both directions: IntOrString, Struct, presence, nulls, JSON, Lists and streams. */
class ManifestValuesTest {

  @Test
  void intOrStringReadsAsIntOrString() throws Exception {
    Service svc = (Service) ManifestCodec.parseOne("""
        apiVersion: v1
        kind: Service
        spec:
          ports:
          - port: 80
            targetPort: 8080
          - port: 81
            targetPort: http
          - port: 82
            targetPort: "9090"
        """, "svc.yaml");
    assertThat(svc.getSpec().getPorts(0).getTargetPort()).isEqualTo(IntOrString.newBuilder().setIntVal(8080).build());
    assertThat(svc.getSpec().getPorts(1).getTargetPort()).isEqualTo(IntOrString.newBuilder().setStrVal("http").build());
    // Quoted digits are a string, as in Kubernetes.
    assertThat(svc.getSpec().getPorts(2).getTargetPort()).isEqualTo(IntOrString.newBuilder().setStrVal("9090").build());
  }

  @Test
  void intOrStringPrintsAsAPlainScalar() throws Exception {
    Deployment d = Deployment.newBuilder()
        .setApiVersion("apps/v1").setKind("Deployment")
        .setSpec(DeploymentSpec.newBuilder().setStrategy(DeploymentStrategy.newBuilder()
            .setType("RollingUpdate")
            .setRollingUpdate(RollingUpdateDeployment.newBuilder()
                .setMaxSurge(IntOrString.newBuilder().setStrVal("25%"))
                .setMaxUnavailable(IntOrString.newBuilder().setIntVal(1)))))
        .build();
    Map<String, java.lang.Object> rollingUpdate = path(ManifestCodec.toTree(d), "spec", "strategy", "rollingUpdate");
    assertThat(rollingUpdate).containsExactly(Map.entry("maxUnavailable", 1), Map.entry("maxSurge", "25%"));
    assertThat(ManifestCodec.toYaml(d)).contains("      maxUnavailable: 1\n      maxSurge: 25%\n");
    assertThat(ManifestCodec.parseOne(ManifestCodec.toYaml(d), "d.yaml")).isEqualTo(d);
    assertThat(ManifestCodec.parseOne(ManifestCodec.toJson(d), "d.json")).isEqualTo(d);
  }

  @Test
  void structHoldsAnyValueTree() throws Exception {
    ControllerRevision rev = (ControllerRevision) ManifestCodec.parseOne("""
        apiVersion: apps/v1
        kind: ControllerRevision
        metadata:
          name: web-1
        revision: 1
        data:
          spec:
            replicas: 3
            ratio: 0.5
            paused: false
            note: null
            image: nginx
            ports: [80, {name: http}]
        """, "rev.yaml");
    Struct spec = rev.getData().getFieldsOrThrow("spec").getStructValue();
    assertThat(spec.getFieldsOrThrow("replicas")).isEqualTo(Value.newBuilder().setNumberValue(3).build());
    assertThat(spec.getFieldsOrThrow("ratio").getNumberValue()).isEqualTo(0.5);
    assertThat(spec.getFieldsOrThrow("paused")).isEqualTo(Value.newBuilder().setBoolValue(false).build());
    assertThat(spec.getFieldsOrThrow("note")).isEqualTo(Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build());
    assertThat(spec.getFieldsOrThrow("image").getStringValue()).isEqualTo("nginx");
    ListValue ports = spec.getFieldsOrThrow("ports").getListValue();
    assertThat(ports.getValues(0).getNumberValue()).isEqualTo(80);
    assertThat(ports.getValues(1).getStructValue().getFieldsOrThrow("name").getStringValue()).isEqualTo("http");
    assertThat(rev.getRevision()).isEqualTo(1L);
  }

  @Test
  void structPrintsBackWithWholeNumbersAsIntegers() throws Exception {
    String yaml = """
        apiVersion: apps/v1
        kind: ControllerRevision
        data:
          spec:
            replicas: 3
            ratio: 0.5
            note: null
            ports: [80, {name: http}]
        revision: 2
        """;
    ControllerRevision rev = (ControllerRevision) ManifestCodec.parseOne(yaml, "rev.yaml");
    Map<String, java.lang.Object> spec = path(ManifestCodec.toTree(rev), "data", "spec");
    assertThat(spec.get("replicas")).isEqualTo(3L);
    assertThat(spec.get("ratio")).isEqualTo(0.5);
    assertThat(spec).containsEntry("note", null);
    assertThat(spec.get("ports")).isEqualTo(List.of(80L, Map.of("name", "http")));
    assertThat((java.lang.Object) new Yaml().load(ManifestCodec.toYaml(rev))).isEqualTo(new Yaml().load(yaml));
    assertThat(ManifestCodec.parseOne(ManifestCodec.toYaml(rev), "again.yaml")).isEqualTo(rev);
    assertThat(ManifestCodec.parseOne(ManifestCodec.toJson(rev), "again.json")).isEqualTo(rev);
  }

  @Test
  void jsonDocument() throws Exception {
    List<Object> objects = ManifestCodec.parse("""
        {
        \t"apiVersion": "v1",
        \t"kind": "Pod",
        \t"metadata": {"name": "p", "labels": {"app": "web"}},
        \t"spec": {
        \t\t"containers": [{"name": "c", "image": "nginx", "ports": [{"containerPort": 80}]}],
        \t\t"volumes": [{"name": "scratch", "emptyDir": {}}]
        \t}
        }
        """, "pod.json");
    Pod pod = KubeObjects.unwrap(objects.get(0), Pod.class);
    assertThat(objects).hasSize(1);
    assertThat(pod.getMetadata().getLabelsMap()).containsEntry("app", "web");
    assertThat(pod.getSpec().getContainers(0).getPorts(0).getContainerPort()).isEqualTo(80);
    assertThat(pod.getSpec().getVolumes(0).hasEmptyDir()).isTrue();
  }

  @Test
  void kindListContributesItsItems() throws Exception {
    List<Object> objects = ManifestCodec.parse("""
        apiVersion: v1
        kind: List
        metadata:
          resourceVersion: ""
        items:
        - apiVersion: v1
          kind: Namespace
          metadata:
            name: a
        - apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: b
        """, "list.yaml");
    assertThat(objects).extracting(o -> KubeObjects.meta(o).getName()).containsExactly("a", "b");
    assertThat(objects.get(0).hasNamespace()).isTrue();
    assertThat(objects.get(1).hasDeployment()).isTrue();
  }

  @Test
  void multipleDocumentsWithEmptyOnesBetween() throws Exception {
    List<Object> objects = ManifestCodec.parse("""
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: first
        ---
        # nothing here
        ---
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: second
        ---
        """, "multi.yaml");
    assertThat(objects).extracting(o -> KubeObjects.meta(o).getName()).containsExactly("first", "second");
    assertThat(ManifestCodec.parse("", "empty.yaml")).isEmpty();
    assertThat(ManifestCodec.parse("# only a comment\n", "comment.yaml")).isEmpty();
  }

  @Test
  void presenceDecidesWhatIsPrinted() throws Exception {
    Deployment d = Deployment.newBuilder()
        .setApiVersion("apps/v1").setKind("Deployment")
        .setMetadata(ObjectMeta.newBuilder().setName("d").setGeneration(7))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(0).setPaused(false).setMinReadySeconds(0))
        .build();
    Map<String, java.lang.Object> tree = ManifestCodec.toTree(d);
    assertThat(tree.keySet()).containsExactly("apiVersion", "kind", "metadata", "spec");
    assertThat(path(tree, "metadata")).containsExactly(Map.entry("name", "d"), Map.entry("generation", 7L));
    // replicas has presence, so 0 is kept; paused and minReadySeconds have none, so false/0 are left out.
    assertThat(path(tree, "spec")).containsExactly(Map.entry("replicas", 0));
    assertThat(ManifestCodec.parseOne(ManifestCodec.toYaml(d), "d.yaml")).isEqualTo(d);
    assertThat(ManifestCodec.toYaml(d)).isEqualTo("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: d
          generation: 7
        spec:
          replicas: 0
        """);
  }

  @Test
  void emptyMessageIsPrintedAsAnEmptyMap() throws Exception {
    Pod pod = Pod.newBuilder().setApiVersion("v1").setKind("Pod")
        .setSpec(PodSpec.newBuilder().addVolumes(
            Volume.newBuilder().setName("scratch").setEmptyDir(EmptyDirVolumeSource.getDefaultInstance())))
        .build();
    assertThat(ManifestCodec.toYaml(pod)).contains("  volumes:\n  - name: scratch\n    emptyDir: {}\n");
    assertThat(ManifestCodec.parseOne(ManifestCodec.toYaml(pod), "pod.yaml")).isEqualTo(pod);
  }

  @Test
  void nullMeansNotSet() throws Exception {
    Deployment d = (Deployment) ManifestCodec.parseOne("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: d
          labels:
        spec:
          replicas: ~
          strategy:
        """, "d.yaml");
    assertThat(d.getMetadata().getLabelsMap()).isEmpty();
    assertThat(d.getSpec().hasReplicas()).isFalse();
    assertThat(d.getSpec().hasStrategy()).isFalse();
  }

  @Test
  void stringMapsTakeAnyScalarAsText() throws Exception {
    Node node = (Node) ManifestCodec.parseOne("""
        apiVersion: v1
        kind: Node
        metadata:
          name: n1
          labels:
            version: 2
            gpu: true
        status:
          capacity:
            cpu: 4
            memory: 8Gi
        """, "node.yaml");
    assertThat(node.getMetadata().getLabelsMap()).containsEntry("version", "2").containsEntry("gpu", "true");
    assertThat(node.getStatus().getCapacityMap()).containsEntry("cpu", "4").containsEntry("memory", "8Gi");
  }

  @Test
  void stringsThatLookLikeOtherTypesAreQuotedOnOutput() throws Exception {
    Node node = Node.newBuilder().setApiVersion("v1").setKind("Node")
        .setMetadata(ObjectMeta.newBuilder().setName("123").putLabels("enabled", "true").putLabels("n", "1.5"))
        .setStatus(NodeStatus.newBuilder().putCapacity("cpu", "4"))
        .build();
    String yaml = ManifestCodec.toYaml(node);
    assertThat(yaml).contains("name: '123'");
    assertThat(ManifestCodec.parseOne(yaml, "node.yaml")).isEqualTo(node);
  }

  @Test
  void unicodeLineBreaksSurviveBothFormats() throws Exception {
    Namespace ns = Namespace.newBuilder().setApiVersion("v1").setKind("Namespace")
        .setMetadata(ObjectMeta.newBuilder().setName("ns")
            .putAnnotations("nel", "a\u0085b").putAnnotations("ls", "c\u2028d").putAnnotations("ps", "e\u2029f"))
        .build();
    assertThat(ManifestCodec.parseOne(ManifestCodec.toYaml(ns), "ns.yaml")).isEqualTo(ns);
    assertThat(ManifestCodec.parseOne(ManifestCodec.toJson(ns), "ns.json")).isEqualTo(ns);
    assertThat(ManifestCodec.toJson(ns)).contains("\"c\\u2028d\"");
  }

  @Test
  void multiLineStringsPrintAsBlocksAndComeBack() throws Exception {
    Namespace ns = Namespace.newBuilder().setApiVersion("v1").setKind("Namespace")
        .setMetadata(ObjectMeta.newBuilder().setName("ns").putAnnotations("note", "line one\nline two\n"))
        .build();
    String yaml = ManifestCodec.toYaml(ns);
    assertThat(yaml).contains("note: |\n      line one\n      line two\n");
    assertThat(ManifestCodec.parseOne(yaml, "ns.yaml")).isEqualTo(ns);
  }

  @Test
  void jsonOutputLooksLikeKubectls() {
    Service svc = Service.newBuilder().setApiVersion("v1").setKind("Service")
        .setMetadata(ObjectMeta.newBuilder().setName("web"))
        .setSpec(ServiceSpec.newBuilder()
            .setClusterIp("10.0.0.1")
            .addPorts(ServicePort.newBuilder().setPort(80).setTargetPort(IntOrString.newBuilder().setStrVal("http"))))
        .build();
    assertThat(ManifestCodec.toJson(svc)).isEqualTo("""
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {
                "name": "web"
            },
            "spec": {
                "ports": [
                    {
                        "port": 80,
                        "targetPort": "http"
                    }
                ],
                "clusterIP": "10.0.0.1"
            }
        }
        """);
  }

  @Test
  void envelopePrintsAsTheObjectItHolds() throws Exception {
    Namespace ns = Namespace.newBuilder().setApiVersion("v1").setKind("Namespace")
        .setMetadata(ObjectMeta.newBuilder().setName("ns")).build();
    assertThat(ManifestCodec.toTree(KubeObjects.wrap(ns))).isEqualTo(ManifestCodec.toTree(ns));
    assertThat(ManifestCodec.parse(ManifestCodec.toYaml(KubeObjects.wrap(ns)), "ns.yaml"))
        .containsExactly(KubeObjects.wrap(ns));
  }

  @Test
  void fromTreeBuildsTheMessage() throws Exception {
    Map<String, java.lang.Object> tree = Map.of(
        "apiVersion", "apps/v1",
        "kind", "Deployment",
        "metadata", Map.of("name", "web", "generation", 2L),
        "spec", Map.of("replicas", 2, "strategy", Map.of("rollingUpdate", Map.of("maxSurge", "25%"))));
    Deployment d = (Deployment) ManifestCodec.fromTree(tree, "code");
    assertThat(d.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getStrVal()).isEqualTo("25%");
  }

  @Test
  void yamlSpellingsOfNumbersAndMergeKeysAreUnderstood() throws Exception {
    List<Object> objects = ManifestCodec.parse("""
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Pod
          metadata: &meta
            name: one
            labels: {app: web}
          spec:
            terminationGracePeriodSeconds: 0x1E
        - apiVersion: v1
          kind: Pod
          metadata:
            <<: *meta
            name: two
        """, "pods.yaml");
    Pod one = KubeObjects.unwrap(objects.get(0), Pod.class);
    Pod two = KubeObjects.unwrap(objects.get(1), Pod.class);
    assertThat(one.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(30L);
    assertThat(two.getMetadata().getName()).isEqualTo("two");
    assertThat(two.getMetadata().getLabelsMap()).containsEntry("app", "web");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, java.lang.Object> path(Map<String, java.lang.Object> tree, String... keys) {
    Map<String, java.lang.Object> at = tree;
    for (String key : keys) {
      at = (Map<String, java.lang.Object>) at.get(key);
    }
    return at;
  }
}
