package io.minik8s.client.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.minik8s.api.Container;
import io.minik8s.api.Deployment;
import io.minik8s.api.Object;
import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.StatefulSet;
import io.minik8s.client.api.KubeObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/** The Kubernetes sample manifests in examples/ decode to the right values and print back to the same meaning. */
class SampleManifestsTest {

  static Path examples() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("examples");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no examples/ directory above " + Path.of("").toAbsolutePath());
  }

  static Stream<Path> sampleFiles() throws IOException {
    try (Stream<Path> files = Files.list(examples())) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  private static List<Object> parse(String name) throws Exception {
    Path file = examples().resolve(name);
    return ManifestCodec.parse(Files.readString(file), file.toString());
  }

  /** The four Kubernetes samples (../shared/manifests), and the Service the README puts in front of nginx. */
  @Test
  void theSamplesArePresent() throws IOException {
    assertThat(sampleFiles().map(f -> f.getFileName().toString())).containsExactly(
        "frontend-replicaset.yaml", "frontend-service.yaml", "nginx-deployment.yaml", "nginx-service.yaml",
        "web-statefulset.yaml");
  }

  @Test
  void nginxServiceSelectsTheNginxDeploymentsPodsOnItsOwnNodePort() throws Exception {
    Service svc = KubeObjects.unwrap(parse("nginx-service.yaml").get(0), Service.class);
    Deployment d = KubeObjects.unwrap(parse("nginx-deployment.yaml").get(0), Deployment.class);
    assertThat(d.getSpec().getTemplate().getMetadata().getLabelsMap()).containsAllEntriesOf(svc.getSpec().getSelectorMap());
    assertThat(svc.getSpec().getPorts(0).getNodePort()).isEqualTo(30081); // frontend-service.yaml has 30080
  }

  @Test
  void frontendReplicaSet() throws Exception {
    List<Object> objects = parse("frontend-replicaset.yaml");
    assertThat(objects).hasSize(1);
    ReplicaSet rs = KubeObjects.unwrap(objects.get(0), ReplicaSet.class);
    assertThat(rs.getApiVersion()).isEqualTo("apps/v1");
    assertThat(rs.getKind()).isEqualTo("ReplicaSet");
    assertThat(rs.getMetadata().getName()).isEqualTo("frontend");
    assertThat(rs.getMetadata().getLabelsMap()).containsExactlyInAnyOrderEntriesOf(
        java.util.Map.of("app", "guestbook", "tier", "frontend"));
    assertThat(rs.getSpec().hasReplicas()).isTrue();
    assertThat(rs.getSpec().getReplicas()).isEqualTo(3);
    assertThat(rs.getSpec().getSelector().getMatchLabelsMap()).containsExactly(java.util.Map.entry("tier", "frontend"));
    assertThat(rs.getSpec().getSelector().getMatchExpressions(0).getKey()).isEqualTo("tier");
    assertThat(rs.getSpec().getSelector().getMatchExpressions(0).getOperator()).isEqualTo("In");
    assertThat(rs.getSpec().getSelector().getMatchExpressions(0).getValuesList()).containsExactly("frontend");
    Container c = rs.getSpec().getTemplate().getSpec().getContainers(0);
    assertThat(c.getName()).isEqualTo("php-redis");
    assertThat(c.getImage()).isEqualTo("gcr.io/google_samples/gb-frontend:v3");
    assertThat(c.getResources().getRequestsMap()).containsEntry("cpu", "100m").containsEntry("memory", "100Mi");
    assertThat(c.getEnv(0).getName()).isEqualTo("GET_HOSTS_FROM");
    assertThat(c.getEnv(0).getValue()).isEqualTo("dns");
    assertThat(c.getPorts(0).getContainerPort()).isEqualTo(80);
  }

  @Test
  void frontendService() throws Exception {
    Service svc = KubeObjects.unwrap(parse("frontend-service.yaml").get(0), Service.class);
    assertThat(svc.getSpec().getType()).isEqualTo("NodePort");
    assertThat(svc.getSpec().getSelectorMap()).containsExactly(java.util.Map.entry("tier", "frontend"));
    ServicePort port = svc.getSpec().getPorts(0);
    assertThat(port.getPort()).isEqualTo(80);
    assertThat(port.getTargetPort().hasIntVal()).isTrue();
    assertThat(port.getTargetPort().getIntVal()).isEqualTo(80);
    assertThat(port.getNodePort()).isEqualTo(30080);
  }

  @Test
  void nginxDeployment() throws Exception {
    Deployment d = KubeObjects.unwrap(parse("nginx-deployment.yaml").get(0), Deployment.class);
    assertThat(d.getMetadata().getName()).isEqualTo("nginx-deployment");
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(d.getSpec().getSelector().getMatchLabelsMap()).containsExactly(java.util.Map.entry("app", "nginx"));
    assertThat(d.getSpec().getTemplate().getMetadata().getLabelsMap()).containsEntry("app", "nginx");
    assertThat(d.getSpec().getTemplate().getSpec().getContainers(0).getImage()).isEqualTo("nginx:1.15.4");
    assertThat(d.getSpec().getTemplate().getSpec().getContainers(0).getPorts(0).getContainerPort()).isEqualTo(80);
    assertThat(d.getSpec().hasStrategy()).isFalse();
  }

  @Test
  void webStatefulSetHoldsAServiceAndAStatefulSet() throws Exception {
    List<Object> objects = parse("web-statefulset.yaml");
    assertThat(objects).hasSize(2);

    Service svc = KubeObjects.unwrap(objects.get(0), Service.class);
    assertThat(svc.getSpec().getClusterIp()).isEqualTo("None");
    assertThat(svc.getSpec().getPorts(0).getName()).isEqualTo("http");
    assertThat(svc.getSpec().getPorts(0).getPort()).isEqualTo(80);
    assertThat(svc.getSpec().getPorts(0).hasTargetPort()).isFalse();

    StatefulSet sts = KubeObjects.unwrap(objects.get(1), StatefulSet.class);
    assertThat(sts.getSpec().getServiceName()).isEqualTo("web");
    assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
    assertThat(sts.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(10L);
    Container c = sts.getSpec().getTemplate().getSpec().getContainers(0);
    assertThat(c.getPorts(0).getName()).isEqualTo("http");
    assertThat(c.getPorts(0).getContainerPort()).isEqualTo(80);
    assertThat(c.getVolumeMounts(0).getName()).isEqualTo("www");
    assertThat(c.getVolumeMounts(0).getMountPath()).isEqualTo("/usr/share/nginx/html");
    PersistentVolumeClaim claim = sts.getSpec().getVolumeClaimTemplates(0);
    assertThat(claim.getMetadata().getName()).isEqualTo("www");
    assertThat(claim.getSpec().getAccessModesList()).containsExactly("ReadWriteOnce");
    assertThat(claim.getSpec().getResources().getRequestsMap()).containsExactly(java.util.Map.entry("storage", "1Gi"));
  }

  @ParameterizedTest
  @MethodSource("sampleFiles")
  void yamlRoundTripGivesEqualMessages(Path file) throws Exception {
    List<Object> objects = ManifestCodec.parse(Files.readString(file), file.toString());
    assertThat(objects).isNotEmpty();
    for (Object object : objects) {
      Message message = KubeObjects.unwrap(object);
      assertThat(ManifestCodec.parseOne(ManifestCodec.toYaml(message), "out.yaml")).isEqualTo(message);
      assertThat(ManifestCodec.parseOne(ManifestCodec.toJson(message), "out.json")).isEqualTo(message);
      assertThat(ManifestCodec.fromTree(ManifestCodec.toTree(message), "tree")).isEqualTo(message);
    }
  }

  @ParameterizedTest
  @MethodSource("sampleFiles")
  void printedYamlMeansWhatTheFileSays(Path file) throws Exception {
    String text = Files.readString(file);
    List<java.lang.Object> original = new ArrayList<>();
    new Yaml().loadAll(text).forEach(original::add);
    original.removeIf(Objects::isNull);

    List<java.lang.Object> printed = new ArrayList<>();
    for (Object object : ManifestCodec.parse(text, file.toString())) {
      printed.add(new Yaml().load(ManifestCodec.toYaml(object)));
    }
    assertThat(printed).isEqualTo(original);
  }
}
