package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.client.api.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through the whole path, {@code mkctl apply -f} to the api-server and etcd: every
 * case fails with a message that names the field (or the line), and nothing is stored.
 */
class BadInputTest {
  static ControlPlane cp;
  static String NGINX;
  static String FRONTEND_SVC;
  static String WEB;

  @BeforeAll
  static void start() throws Exception {
    cp = ControlPlane.shared();
    NGINX = Files.readString(Path.of("..", "examples", "nginx-deployment.yaml"));
    FRONTEND_SVC = Files.readString(Path.of("..", "examples", "frontend-service.yaml"));
    WEB = Files.readString(Path.of("..", "examples", "web-statefulset.yaml"));
  }

  /** A case: the sample text with one replacement, and what the error must say. */
  static Arguments bad(String name, String base, String from, String to, String expected) {
    return Arguments.of(name, base, from, to, expected);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        bad("malformed YAML", "nginx", "  replicas: 3", "  replicas: 3\n   bad: [unclosed", "bad.yaml:9: yaml: mapping values are not allowed here"),
        bad("a tab for indentation", "nginx", "  replicas: 3", "\treplicas: 3", "bad.yaml:8: yaml:"),
        bad("unknown kind", "nginx", "kind: Deployment", "kind: Deploymint", "no matches for kind \"Deploymint\""),
        bad("kind in the wrong version", "nginx", "apiVersion: apps/v1", "apiVersion: v1", "no matches for kind \"Deployment\" in version \"v1\""),
        bad("missing kind", "nginx", "kind: Deployment\n", "", "Object 'Kind' is missing"),
        bad("unknown field", "nginx", "  replicas: 3", "  replica: 3", "spec.replica"),
        bad("unknown nested field", "nginx", "            - containerPort: 80", "            - containerPort: 80\n              hostPorts: 1", "spec.template.spec.containers[0].ports[0].hostPorts"),
        bad("string for a number", "nginx", "  replicas: 3", "  replicas: three", "spec.replicas"),
        bad("list for a map", "nginx", "    app: nginx\nspec:", "    - app\nspec:", "metadata.labels"),
        bad("name not DNS-1123", "nginx", "  name: nginx-deployment", "  name: Nginx_Deployment", "metadata.name: Invalid value: \"Nginx_Deployment\""),
        bad("name too long", "nginx", "  name: nginx-deployment", "  name: " + "x".repeat(254), "metadata.name"),
        bad("negative replicas", "nginx", "  replicas: 3", "  replicas: -1", "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
        bad("selector not matching the template", "nginx", "      app: nginx\n  template", "      app: web\n  template", "spec.template.metadata.labels"),
        bad("empty selector", "nginx", "  selector:\n    matchLabels:\n      app: nginx\n", "", "spec.selector: Required value"),
        bad("duplicate container names", "nginx", "      containers:\n", "      containers:\n        - name: nginx\n          image: nginx:1.15.4\n", "spec.template.spec.containers[1].name: Duplicate value: \"nginx\""),
        bad("port out of range", "nginx", "containerPort: 80", "containerPort: 70000", "spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000"),
        bad("no image", "nginx", "          image: nginx:1.15.4\n", "", "spec.template.spec.containers[0].image: Required value"),
        bad("restartPolicy Never in a Deployment", "nginx", "      containers:", "      restartPolicy: Never\n      containers:", "spec.template.spec.restartPolicy: Unsupported value: \"Never\""),
        bad("bad label value", "nginx", "    app: nginx\nspec", "    app: \"-nginx-\"\nspec", "metadata.labels: Invalid value: \"-nginx-\""),
        bad("bad label key", "nginx", "    app: nginx\nspec", "    app: nginx\n    \"a/b/c\": x\nspec", "metadata.labels: Invalid value: \"a/b/c\""),
        bad("bad maxSurge", "nginx", "  replicas: 3", "  replicas: 3\n  strategy:\n    rollingUpdate:\n      maxSurge: lots", "spec.strategy.rollingUpdate.maxSurge"),
        bad("maxSurge and maxUnavailable both 0", "nginx", "  replicas: 3", "  replicas: 3\n  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0", "spec.strategy.rollingUpdate.maxUnavailable"),
        bad("unknown strategy", "nginx", "  replicas: 3", "  replicas: 3\n  strategy:\n    type: BlueGreen", "spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:\"BlueGreen\""),
        bad("bad selector operator", "nginx", "    matchLabels:\n      app: nginx\n", "    matchLabels:\n      app: nginx\n    matchExpressions:\n      - {key: app, operator: Near, values: [nginx]}\n", "spec.selector.matchExpressions[0].operator"),
        bad("cpu that is not a quantity", "nginx", "          image: nginx:1.15.4", "          image: nginx:1.15.4\n          resources:\n            requests:\n              cpu: lots", "spec.template.spec.containers[0].resources.requests[cpu]"),
        bad("requests above limits", "nginx", "          image: nginx:1.15.4", "          image: nginx:1.15.4\n          resources:\n            requests:\n              cpu: 500m\n            limits:\n              cpu: 200m", "spec.template.spec.containers[0].resources.requests"),
        bad("probe without a handler", "nginx", "          image: nginx:1.15.4", "          image: nginx:1.15.4\n          livenessProbe:\n            periodSeconds: 5", "spec.template.spec.containers[0].livenessProbe"),
        bad("mount of a missing volume", "nginx", "          image: nginx:1.15.4", "          image: nginx:1.15.4\n          volumeMounts:\n            - {name: data, mountPath: /data}", "spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"data\""),
        bad("service port 0", "svc", "  - port: 80", "  - port: 0", "spec.ports[0].port"),
        bad("service of an unknown type", "svc", "type: NodePort", "type: Magic", "spec.type: Unsupported value: \"Magic\""),
        bad("unknown session affinity", "svc", "type: NodePort", "type: NodePort\n  sessionAffinity: Sticky", "spec.sessionAffinity: Unsupported value: \"Sticky\""),
        bad("unknown pod management policy", "web", "  serviceName: web", "  serviceName: web\n  podManagementPolicy: Random", "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'"),
        bad("claim template without access modes", "web", "        accessModes: [\"ReadWriteOnce\"]\n", "", "spec.volumeClaimTemplates[0].spec.accessModes: Required value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedWithTheFieldNamedAndNothingIsStored(String name, String base, String from, String to, String expected,
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    String text = switch (base) {
      case "nginx" -> NGINX;
      case "svc" -> FRONTEND_SVC;
      default -> WEB;
    };
    assertThat(text).as("the case's text to replace must be in the sample").contains(from);
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, text.replace(from, to));
    String ns = Objects.freshNamespace(cp.client, "bad");

    Mkctl.Result r = Mkctl.run(cp.server(), "apply", "-n", ns, "-f", file.toString());

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).as(r.toString()).contains(expected);
    assertThat(r.err().lines().filter(l -> !l.isBlank()).count()).as("one clear line per failure: " + r).isLessThanOrEqualTo(2);
    for (var type : Resources.ALL) {
      if (type.namespaced() && type != Resources.EVENTS) {
        if (type == Resources.SERVICES && base.equals("web")) {
          continue; // the headless web Service before the StatefulSet is valid and goes in
        }
        assertThat(cp.client.list(type, ns, "")).as("nothing stored: " + type.resource()).isEmpty();
      }
    }
  }
}
