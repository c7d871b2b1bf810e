package io.minik8s.apiserver.admission;

import static io.minik8s.apiserver.admission.FieldError.Type.DUPLICATE;
import static io.minik8s.apiserver.admission.FieldError.Type.FORBIDDEN;
import static io.minik8s.apiserver.admission.FieldError.Type.INVALID;
import static io.minik8s.apiserver.admission.FieldError.Type.NOT_FOUND;
import static io.minik8s.apiserver.admission.FieldError.Type.REQUIRED;
import static io.minik8s.apiserver.admission.FieldError.Type.UNSUPPORTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.Deployment;
import io.minik8s.api.EmptyDirVolumeSource;
import io.minik8s.api.EnvVar;
import io.minik8s.api.HTTPGetAction;
import io.minik8s.api.HostPathVolumeSource;
import io.minik8s.api.IntOrString;
import io.minik8s.api.Lease;
import io.minik8s.api.LabelSelectorRequirement;
import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.Probe;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.RollingUpdateDeployment;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.StatefulSet;
import io.minik8s.api.Taint;
import io.minik8s.api.Toleration;
import io.minik8s.api.Volume;
import io.minik8s.api.VolumeMount;
import io.minik8s.apiserver.admission.FieldError.Type;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each row breaks one sample manifest in one way and names the error Kubernetes reports for it:
 * field path, error type and full message. The samples themselves validate clean
 * ({@link SampleValidationTest}), so every error here comes from the row's change.
 */
class ValidationTableTest {
  // Kubernetes' messages, written out here rather than shared with the main code
  private static final String SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
      + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
      + "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  private static final String LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
      + "or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used "
      + "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  private static final String DNS1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
      + "start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
      + "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
  private static final String NAME_PART = "name part must consist of alphanumeric characters, '-', '_' or '.', and "
      + "must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used "
      + "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  private static final String PORT_RANGE = "must be between 1 and 65535, inclusive";
  private static final String C0 = "spec.template.spec.containers[0]";
  private static final String URL_PATH = "must be a URL path: letters, digits and -._~!$&'()*+,;=:@/?% only "
      + "(no spaces, no control characters such as CR or LF, no '#')";

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenObjects")
  void reportsTheBrokenFieldWithKubernetesMessage(String change, Message obj, String field, Type type, String message) {
    List<FieldError> errors = Validation.validateCreate(Defaulting.apply(obj));

    assertThat(errors).anySatisfy(e -> {
      assertThat(e.field()).isEqualTo(field);
      assertThat(e.type()).isEqualTo(type);
      assertThat(e.toString()).isEqualTo(message);
    });
  }

  static Stream<Arguments> brokenObjects() {
    return Stream.of(
        // metadata
        row("negative replicas", deployment(b -> b.getSpecBuilder().setReplicas(-1)),
            "spec.replicas", INVALID, "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
        row("no name and no generateName", deployment(b -> b.getMetadataBuilder().clearName()),
            "metadata.name", REQUIRED, "metadata.name: Required value: name or generateName is required"),
        row("deployment name not a subdomain", deployment(b -> b.getMetadataBuilder().setName("Nginx_Deployment")),
            "metadata.name", INVALID, "metadata.name: Invalid value: \"Nginx_Deployment\": " + SUBDOMAIN),
        row("statefulset name with a dot", statefulSet(b -> b.getMetadataBuilder().setName("web.v1")),
            "metadata.name", INVALID, "metadata.name: Invalid value: \"web.v1\": " + LABEL),
        row("service name starting with a digit", frontendService(b -> b.getMetadataBuilder().setName("1frontend")),
            "metadata.name", INVALID, "metadata.name: Invalid value: \"1frontend\": " + DNS1035),
        row("namespaced object without namespace", deployment(b -> b.getMetadataBuilder().clearNamespace()),
            "metadata.namespace", REQUIRED, "metadata.namespace: Required value"),
        row("label key starting with a dash", deployment(b -> b.getMetadataBuilder().putLabels("-app", "x")),
            "metadata.labels", INVALID, "metadata.labels: Invalid value: \"-app\": " + NAME_PART),
        row("label value of 64 characters", deployment(b -> b.getMetadataBuilder().putLabels("tier", "a".repeat(64))),
            "metadata.labels", INVALID, "metadata.labels: Invalid value: \"" + "a".repeat(64) + "\": must be no more than 63 characters"),
        row("annotation key with two slashes", deployment(b -> b.getMetadataBuilder().putAnnotations("a/b/c", "x")),
            "metadata.annotations", INVALID, "metadata.annotations: Invalid value: \"a/b/c\": a qualified name "
                + NAME_PART.substring("name part ".length()) + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"),
        row("owner reference without uid", deployment(b -> b.getMetadataBuilder().addOwnerReferences(
                OwnerReference.newBuilder().setApiVersion("v1").setKind("Foo").setName("a"))),
            "metadata.ownerReferences.uid", INVALID, "metadata.ownerReferences.uid: Invalid value: \"\": must not be empty"),
        row("two controller owner references", deployment(b -> b.getMetadataBuilder()
                .addOwnerReferences(owner("a", "u1")).addOwnerReferences(owner("b", "u2"))),
            "metadata.ownerReferences", INVALID, "metadata.ownerReferences: Invalid value: []v1.OwnerReference{...}: "
                + "Only one reference can have Controller set to true. Found \"true\" in references for Foo/a and Foo/b"),

        // pod template
        row("template without containers", deployment(b -> podSpec(b).clearContainers()),
            "spec.template.spec.containers", REQUIRED, "spec.template.spec.containers: Required value"),
        row("two containers named nginx", deployment(b -> podSpec(b).addContainers(
                Container.newBuilder().setName("nginx").setImage("busybox"))),
            "spec.template.spec.containers[1].name", DUPLICATE, "spec.template.spec.containers[1].name: Duplicate value: \"nginx\""),
        row("container name with capitals", deployment(b -> container0(b).setName("Nginx")),
            C0 + ".name", INVALID, C0 + ".name: Invalid value: \"Nginx\": " + LABEL),
        row("container without image", deployment(b -> container0(b).clearImage()),
            C0 + ".image", REQUIRED, C0 + ".image: Required value"),
        row("container port above 65535", deployment(b -> container0(b).getPortsBuilder(0).setContainerPort(70000)),
            C0 + ".ports[0].containerPort", INVALID, C0 + ".ports[0].containerPort: Invalid value: 70000: " + PORT_RANGE),
        row("negative host port", deployment(b -> container0(b).getPortsBuilder(0).setHostPort(-1)),
            C0 + ".ports[0].hostPort", INVALID, C0 + ".ports[0].hostPort: Invalid value: -1: " + PORT_RANGE),
        row("port protocol HTTP", deployment(b -> container0(b).getPortsBuilder(0).setProtocol("HTTP")),
            C0 + ".ports[0].protocol", UNSUPPORTED,
            C0 + ".ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""),
        row("port name longer than 15", statefulSet(b -> statefulSetContainer0(b).getPortsBuilder(0).setName("http-port-name-too-long")),
            C0 + ".ports[0].name", INVALID, C0 + ".ports[0].name: Invalid value: \"http-port-name-too-long\": must be no more than 15 characters"),
        row("two ports named http", statefulSet(b -> statefulSetContainer0(b).addPorts(
                ContainerPort.newBuilder().setName("http").setContainerPort(8080))),
            C0 + ".ports[1].name", DUPLICATE, C0 + ".ports[1].name: Duplicate value: \"http\""),
        row("unknown restart policy", deployment(b -> podSpec(b).setRestartPolicy("Sometimes")),
            "spec.template.spec.restartPolicy", UNSUPPORTED, "spec.template.spec.restartPolicy: Unsupported value: "
                + "\"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""),
        row("replicaset pods that never restart", replicaSet(b -> b.getSpecBuilder().getTemplateBuilder().getSpecBuilder().setRestartPolicy("Never")),
            "spec.template.spec.restartPolicy", UNSUPPORTED,
            "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""),
        row("unknown dns policy", deployment(b -> podSpec(b).setDnsPolicy("Google")),
            "spec.template.spec.dnsPolicy", UNSUPPORTED, "spec.template.spec.dnsPolicy: Unsupported value: \"Google\": "
                + "supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\""),
        row("negative termination grace period", deployment(b -> podSpec(b).setTerminationGracePeriodSeconds(-1)),
            "spec.template.spec.terminationGracePeriodSeconds", INVALID,
            "spec.template.spec.terminationGracePeriodSeconds: Invalid value: -1: must be greater than or equal to 0"),
        row("mount of a volume that does not exist", deployment(b -> container0(b).addVolumeMounts(
                VolumeMount.newBuilder().setName("www").setMountPath("/usr/share/nginx/html"))),
            C0 + ".volumeMounts[0].name", NOT_FOUND, C0 + ".volumeMounts[0].name: Not found: \"www\""),
        row("statefulset mount of no claim template", statefulSet(b -> statefulSetContainer0(b).getVolumeMountsBuilder(0).setName("data")),
            C0 + ".volumeMounts[0].name", NOT_FOUND, C0 + ".volumeMounts[0].name: Not found: \"data\""),
        row("mount without path", statefulSet(b -> statefulSetContainer0(b).getVolumeMountsBuilder(0).clearMountPath()),
            C0 + ".volumeMounts[0].mountPath", REQUIRED, C0 + ".volumeMounts[0].mountPath: Required value"),
        row("subPath that is absolute", statefulSet(b -> statefulSetContainer0(b).getVolumeMountsBuilder(0).setSubPath("/etc")),
            C0 + ".volumeMounts[0].subPath", INVALID, C0 + ".volumeMounts[0].subPath: Invalid value: \"/etc\": must be a relative path"),
        row("subPath that steps out of its volume", statefulSet(b -> statefulSetContainer0(b).getVolumeMountsBuilder(0)
                .setSubPath("logs/../../../..")),
            C0 + ".volumeMounts[0].subPath", INVALID,
            C0 + ".volumeMounts[0].subPath: Invalid value: \"logs/../../../..\": must not contain '..'"),
        row("subPath that steps out with backslashes", statefulSet(b -> statefulSetContainer0(b).getVolumeMountsBuilder(0)
                .setSubPath("a\\..\\..")),
            C0 + ".volumeMounts[0].subPath", INVALID,
            C0 + ".volumeMounts[0].subPath: Invalid value: \"a\\\\..\\\\..\": must not contain '..'"),
        row("mountPath with a colon", statefulSet(b -> statefulSetContainer0(b).getVolumeMountsBuilder(0)
                .setMountPath("/data:/etc")),
            C0 + ".volumeMounts[0].mountPath", INVALID,
            C0 + ".volumeMounts[0].mountPath: Invalid value: \"/data:/etc\": must not contain ':'"),
        row("volume with two sources", deployment(b -> podSpec(b).addVolumes(Volume.newBuilder().setName("cache")
                .setEmptyDir(EmptyDirVolumeSource.getDefaultInstance())
                .setHostPath(HostPathVolumeSource.newBuilder().setPath("/tmp")))),
            "spec.template.spec.volumes[0].hostPath", FORBIDDEN,
            "spec.template.spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type"),
        row("two volumes with one name", deployment(b -> podSpec(b).addVolumes(emptyDir("cache")).addVolumes(emptyDir("cache"))),
            "spec.template.spec.volumes[1].name", DUPLICATE, "spec.template.spec.volumes[1].name: Duplicate value: \"cache\""),
        row("env var without name", deployment(b -> container0(b).addEnv(EnvVar.newBuilder().setValue("x"))),
            C0 + ".env[0].name", REQUIRED, C0 + ".env[0].name: Required value"),
        row("cpu request above its limit", replicaSet(b -> rsContainer0(b).getResourcesBuilder()
                .putRequests("cpu", "300m").putLimits("cpu", "200m")),
            C0 + ".resources.requests", INVALID,
            C0 + ".resources.requests: Invalid value: \"300m\": must be less than or equal to cpu limit of 200m"),
        row("memory request that is no quantity", replicaSet(b -> rsContainer0(b).getResourcesBuilder().putRequests("memory", "lots")),
            C0 + ".resources.requests[memory]", INVALID, C0 + ".resources.requests[memory]: Invalid value: \"lots\": "
                + "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
        row("probe on port 0", deployment(b -> container0(b).setLivenessProbe(Probe.newBuilder()
                .setHttpGet(HTTPGetAction.newBuilder().setPort(IntOrString.newBuilder().setIntVal(0))))),
            C0 + ".livenessProbe.httpGet.port", INVALID, C0 + ".livenessProbe.httpGet.port: Invalid value: 0: " + PORT_RANGE),
        row("probe path with CR/LF", deployment(b -> container0(b).setLivenessProbe(Probe.newBuilder()
                .setHttpGet(HTTPGetAction.newBuilder().setPath("/healthz HTTP/1.1\r\nHost: evil\r\n\r\n")
                    .setPort(IntOrString.newBuilder().setIntVal(80))))),
            C0 + ".livenessProbe.httpGet.path", INVALID, C0 + ".livenessProbe.httpGet.path: Invalid value: "
                + "\"/healthz HTTP/1.1\\r\\nHost: evil\\r\\n\\r\\n\": " + URL_PATH),
        row("probe path with a fragment", deployment(b -> container0(b).setReadinessProbe(Probe.newBuilder()
                .setHttpGet(HTTPGetAction.newBuilder().setPath("/a#b").setPort(IntOrString.newBuilder().setIntVal(80))))),
            C0 + ".readinessProbe.httpGet.path", INVALID, C0 + ".readinessProbe.httpGet.path: Invalid value: \"/a#b\": " + URL_PATH),
        row("probe header with a bad name", deployment(b -> container0(b).setLivenessProbe(Probe.newBuilder()
                .setHttpGet(HTTPGetAction.newBuilder().setPath("/").setPort(IntOrString.newBuilder().setIntVal(80))
                    .addHttpHeaders(io.minik8s.api.HTTPHeader.newBuilder().setName("X:Y").setValue("1"))))),
            C0 + ".livenessProbe.httpGet.httpHeaders", INVALID, C0 + ".livenessProbe.httpGet.httpHeaders: Invalid value: "
                + "\"X:Y\": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', "
                + "regex used for validation is '[-A-Za-z0-9]+')"),
        row("probe header value with CR/LF", deployment(b -> container0(b).setLivenessProbe(Probe.newBuilder()
                .setHttpGet(HTTPGetAction.newBuilder().setPath("/").setPort(IntOrString.newBuilder().setIntVal(80))
                    .addHttpHeaders(io.minik8s.api.HTTPHeader.newBuilder().setName("X-A").setValue("1\r\nX-B: 2"))))),
            C0 + ".livenessProbe.httpGet.httpHeaders[0].value", INVALID, C0 + ".livenessProbe.httpGet.httpHeaders[0].value: "
                + "Invalid value: \"1\\r\\nX-B: 2\": must not contain control characters such as CR or LF"),
        row("endpoints on loopback", endpoints("127.0.0.1"), "subsets[0].addresses[0].ip", INVALID,
            "subsets[0].addresses[0].ip: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)"),
        row("endpoints on IPv6 loopback", endpoints("::1"), "subsets[0].addresses[0].ip", INVALID,
            "subsets[0].addresses[0].ip: Invalid value: \"::1\": may not be in the loopback range (127.0.0.0/8, ::1/128)"),
        row("endpoints on IPv4-mapped loopback", endpoints("::ffff:127.0.0.2"), "subsets[0].addresses[0].ip", INVALID,
            "subsets[0].addresses[0].ip: Invalid value: \"::ffff:127.0.0.2\": may not be in the loopback range (127.0.0.0/8, ::1/128)"),
        row("endpoints on the metadata address", endpoints("169.254.169.254"), "subsets[0].addresses[0].ip", INVALID,
            "subsets[0].addresses[0].ip: Invalid value: \"169.254.169.254\": may not be in the link-local range (169.254.0.0/16, fe80::/10)"),
        row("endpoints on link-local multicast", endpoints("224.0.0.251"), "subsets[0].addresses[0].ip", INVALID,
            "subsets[0].addresses[0].ip: Invalid value: \"224.0.0.251\": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"),
        row("endpoints on multicast", endpoints("239.1.2.3"), "subsets[0].addresses[0].ip", INVALID,
            "subsets[0].addresses[0].ip: Invalid value: \"239.1.2.3\": may not be in the multicast range (224.0.0.0/4, ff00::/8)"),
        row("endpoints on the unspecified address", endpoints("0.0.0.0"), "subsets[0].addresses[0].ip", INVALID,
            "subsets[0].addresses[0].ip: Invalid value: \"0.0.0.0\": may not be unspecified (0.0.0.0)"),
        row("probe without handler", deployment(b -> container0(b).setLivenessProbe(Probe.newBuilder().setPeriodSeconds(5))),
            C0 + ".livenessProbe", REQUIRED, C0 + ".livenessProbe: Required value: must specify a handler type"),
        row("probe with negative period", deployment(b -> container0(b).setReadinessProbe(Probe.newBuilder()
                .setHttpGet(HTTPGetAction.newBuilder().setPort(IntOrString.newBuilder().setStrVal("http")))
                .setPeriodSeconds(-5))),
            C0 + ".readinessProbe.periodSeconds", INVALID,
            C0 + ".readinessProbe.periodSeconds: Invalid value: -5: must be greater than or equal to 0"),
        row("toleration with unknown operator", deployment(b -> podSpec(b).addTolerations(
                Toleration.newBuilder().setKey("gpu").setOperator("Maybe"))),
            "spec.template.spec.tolerations[0].operator", UNSUPPORTED,
            "spec.template.spec.tolerations[0].operator: Unsupported value: \"Maybe\": supported values: \"Equal\", \"Exists\""),
        row("toleration with unknown effect", deployment(b -> podSpec(b).addTolerations(
                Toleration.newBuilder().setKey("gpu").setOperator("Exists").setEffect("NoRun"))),
            "spec.template.spec.tolerations[0].effect", UNSUPPORTED, "spec.template.spec.tolerations[0].effect: "
                + "Unsupported value: \"NoRun\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""),
        row("node selector key with a space", deployment(b -> podSpec(b).putNodeSelector("disk type", "ssd")),
            "spec.template.spec.nodeSelector", INVALID,
            "spec.template.spec.nodeSelector: Invalid value: \"disk type\": " + NAME_PART),

        // selectors
        row("deployment without selector", deployment(b -> b.getSpecBuilder().clearSelector()),
            "spec.selector", REQUIRED, "spec.selector: Required value"),
        row("selector that misses the template", deployment(b -> b.getSpecBuilder().getSelectorBuilder().putMatchLabels("app", "apache")),
            "spec.template.metadata.labels", INVALID, "spec.template.metadata.labels: Invalid value: "
                + "map[string]string{\"app\":\"nginx\"}: `selector` does not match template `labels`"),
        row("selector operator Like", replicaSet(b -> b.getSpecBuilder().getSelectorBuilder().getMatchExpressionsBuilder(0).setOperator("Like")),
            "spec.selector.matchExpressions[0].operator", INVALID,
            "spec.selector.matchExpressions[0].operator: Invalid value: \"Like\": not a valid selector operator"),
        row("In without values", replicaSet(b -> b.getSpecBuilder().getSelectorBuilder().getMatchExpressionsBuilder(0).clearValues()),
            "spec.selector.matchExpressions[0].values", REQUIRED, "spec.selector.matchExpressions[0].values: "
                + "Required value: must be specified when `operator` is 'In' or 'NotIn'"),
        row("Exists with values", replicaSet(b -> b.getSpecBuilder().getSelectorBuilder().addMatchExpressions(
                LabelSelectorRequirement.newBuilder().setKey("app").setOperator("Exists").addValues("guestbook"))),
            "spec.selector.matchExpressions[1].values", FORBIDDEN, "spec.selector.matchExpressions[1].values: "
                + "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),

        // deployment strategy
        row("unknown strategy type", deployment(b -> b.getSpecBuilder().getStrategyBuilder().setType("BlueGreen")),
            "spec.strategy", UNSUPPORTED, "spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:\"BlueGreen\", "
                + "RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\", \"RollingUpdate\""),
        row("Recreate with rollingUpdate", deployment(b -> b.getSpecBuilder().getStrategyBuilder().setType("Recreate")
                .setRollingUpdate(RollingUpdateDeployment.newBuilder().setMaxSurge(IntOrString.newBuilder().setIntVal(1)))),
            "spec.strategy.rollingUpdate", FORBIDDEN,
            "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"),
        row("maxSurge percent without %", deployment(b -> b.getSpecBuilder().getStrategyBuilder().setType("RollingUpdate")
                .getRollingUpdateBuilder().setMaxSurge(IntOrString.newBuilder().setStrVal("25"))),
            "spec.strategy.rollingUpdate.maxSurge", INVALID, "spec.strategy.rollingUpdate.maxSurge: Invalid value: "
                + "intstr.IntOrString{Type:1, IntVal:0, StrVal:\"25\"}: a valid percent string must be a numeric string "
                + "followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"),
        row("maxSurge and maxUnavailable both 0", deployment(b -> b.getSpecBuilder().getStrategyBuilder().setType("RollingUpdate")
                .setRollingUpdate(RollingUpdateDeployment.newBuilder().setMaxSurge(IntOrString.newBuilder().setIntVal(0))
                    .setMaxUnavailable(IntOrString.newBuilder().setIntVal(0)))),
            "spec.strategy.rollingUpdate.maxUnavailable", INVALID, "spec.strategy.rollingUpdate.maxUnavailable: Invalid "
                + "value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0"),
        row("maxUnavailable above 100%", deployment(b -> b.getSpecBuilder().getStrategyBuilder().setType("RollingUpdate")
                .getRollingUpdateBuilder().setMaxUnavailable(IntOrString.newBuilder().setStrVal("150%"))),
            "spec.strategy.rollingUpdate.maxUnavailable", INVALID, "spec.strategy.rollingUpdate.maxUnavailable: Invalid "
                + "value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%"),
        row("progress deadline not above minReadySeconds", deployment(b -> b.getSpecBuilder().setMinReadySeconds(10).setProgressDeadlineSeconds(10)),
            "spec.progressDeadlineSeconds", INVALID, "spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds"),
        row("negative revision history limit", deployment(b -> b.getSpecBuilder().setRevisionHistoryLimit(-1)),
            "spec.revisionHistoryLimit", INVALID, "spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"),
        row("negative minReadySeconds", replicaSet(b -> b.getSpecBuilder().setMinReadySeconds(-1)),
            "spec.minReadySeconds", INVALID, "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0"),

        // statefulset
        row("unknown pod management policy", statefulSet(b -> b.getSpecBuilder().setPodManagementPolicy("Random")),
            "spec.podManagementPolicy", INVALID,
            "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'"),
        row("unknown update strategy", statefulSet(b -> b.getSpecBuilder().getUpdateStrategyBuilder().setType("Canary")),
            "spec.updateStrategy", INVALID, "spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:"
                + "\"Canary\", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'"),
        row("negative partition", statefulSet(b -> b.getSpecBuilder().getUpdateStrategyBuilder().setType("RollingUpdate")
                .getRollingUpdateBuilder().setPartition(-1)),
            "spec.updateStrategy.rollingUpdate.partition", INVALID,
            "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0"),
        row("claim template name with capitals", statefulSet(b -> b.getSpecBuilder().getVolumeClaimTemplatesBuilder(0)
                .getMetadataBuilder().setName("WWW")),
            "spec.volumeClaimTemplates[0].metadata.name", INVALID,
            "spec.volumeClaimTemplates[0].metadata.name: Invalid value: \"WWW\": " + LABEL),
        row("claim template without storage size", statefulSet(b -> b.getSpecBuilder().getVolumeClaimTemplatesBuilder(0)
                .getSpecBuilder().getResourcesBuilder().clearRequests()),
            "spec.volumeClaimTemplates[0].spec.resources[storage]", REQUIRED,
            "spec.volumeClaimTemplates[0].spec.resources[storage]: Required value"),

        // services
        row("service without ports", frontendService(b -> b.getSpecBuilder().clearPorts()),
            "spec.ports", REQUIRED, "spec.ports: Required value"),
        row("service port 0", frontendService(b -> b.getSpecBuilder().getPortsBuilder(0).setPort(0)),
            "spec.ports[0].port", INVALID, "spec.ports[0].port: Invalid value: 0: " + PORT_RANGE),
        row("second unnamed port", frontendService(b -> b.getSpecBuilder().addPorts(ServicePort.newBuilder().setPort(443))),
            "spec.ports[1].name", REQUIRED, "spec.ports[1].name: Required value"),
        row("two ports named http", webService(b -> b.getSpecBuilder().addPorts(ServicePort.newBuilder().setName("http").setPort(8080))),
            "spec.ports[1].name", DUPLICATE, "spec.ports[1].name: Duplicate value: \"http\""),
        row("target port name with underscore", frontendService(b -> b.getSpecBuilder().getPortsBuilder(0)
                .setTargetPort(IntOrString.newBuilder().setStrVal("http_port"))),
            "spec.ports[0].targetPort", INVALID, "spec.ports[0].targetPort: Invalid value: \"http_port\": "
                + "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"),
        row("unknown service type", frontendService(b -> b.getSpecBuilder().setType("Internal")),
            "spec.type", UNSUPPORTED, "spec.type: Unsupported value: \"Internal\": supported values: "
                + "\"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""),
        row("unknown session affinity", frontendService(b -> b.getSpecBuilder().setSessionAffinity("Sticky")),
            "spec.sessionAffinity", UNSUPPORTED,
            "spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\""),
        row("node port on a ClusterIP service", frontendService(b -> b.getSpecBuilder().setType("ClusterIP")),
            "spec.ports[0].nodePort", FORBIDDEN, "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"),
        row("headless NodePort service", webService(b -> b.getSpecBuilder().setType("NodePort")),
            "spec.clusterIPs[0]", INVALID, "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"),
        row("cluster IP that is no address", frontendService(b -> b.getSpecBuilder().setClusterIp("10.0.0.300")),
            "spec.clusterIPs[0]", INVALID,
            "spec.clusterIPs[0]: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"),

        // other kinds, built in code
        row("namespace name with a dot", Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("team.a")).build(),
            "metadata.name", INVALID, "metadata.name: Invalid value: \"team.a\": " + LABEL),
        row("node taint with unknown effect", Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("node-1"))
                .setSpec(io.minik8s.api.NodeSpec.newBuilder().addTaints(Taint.newBuilder().setKey("gpu").setEffect("NoRun"))).build(),
            "spec.taints[0].effect", UNSUPPORTED, "spec.taints[0].effect: Unsupported value: \"NoRun\": "
                + "supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""),
        row("node pod CIDR without prefix length", Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("node-1"))
                .setSpec(io.minik8s.api.NodeSpec.newBuilder().setPodCidr("10.244.1.0")).build(),
            "spec.podCIDR", INVALID,
            "spec.podCIDR: Invalid value: \"10.244.1.0\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"),
        row("namespace on a cluster-scoped kind", Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("node-1")
                .setNamespace("default")).build(),
            "metadata.namespace", FORBIDDEN, "metadata.namespace: Forbidden: not allowed on this type"),
        row("claim with unknown access mode", claim(b -> b.getSpecBuilder().clearAccessModes().addAccessModes("ReadWriteSometimes")),
            "spec.accessModes", UNSUPPORTED, "spec.accessModes: Unsupported value: \"ReadWriteSometimes\": supported "
                + "values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\""),
        row("claim without access modes", claim(b -> b.getSpecBuilder().clearAccessModes()),
            "spec.accessModes", REQUIRED, "spec.accessModes: Required value: at least 1 access mode is required"),
        row("lease of zero seconds", Lease.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("node-1").setNamespace("kube-node-lease"))
                .setSpec(io.minik8s.api.LeaseSpec.newBuilder().setLeaseDurationSeconds(0)).build(),
            "spec.leaseDurationSeconds", INVALID, "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"));
  }

  private static Arguments row(String change, Message obj, String field, Type type, String message) {
    return Arguments.of(change, obj, field, type, message);
  }

  private static Deployment deployment(Consumer<Deployment.Builder> change) {
    Deployment.Builder b = Samples.nginxDeployment().toBuilder();
    change.accept(b);
    return b.build();
  }

  private static ReplicaSet replicaSet(Consumer<ReplicaSet.Builder> change) {
    ReplicaSet.Builder b = Samples.frontendReplicaSet().toBuilder();
    change.accept(b);
    return b.build();
  }

  private static StatefulSet statefulSet(Consumer<StatefulSet.Builder> change) {
    StatefulSet.Builder b = Samples.webStatefulSet().toBuilder();
    change.accept(b);
    return b.build();
  }

  private static Service frontendService(Consumer<Service.Builder> change) {
    Service.Builder b = Samples.frontendService().toBuilder();
    change.accept(b);
    return b.build();
  }

  private static Service webService(Consumer<Service.Builder> change) {
    Service.Builder b = Samples.webService().toBuilder();
    change.accept(b);
    return b.build();
  }

  /** The web StatefulSet's claim template as a claim of its own. */
  private static PersistentVolumeClaim claim(Consumer<PersistentVolumeClaim.Builder> change) {
    PersistentVolumeClaim.Builder b = Samples.webStatefulSet().getSpec().getVolumeClaimTemplates(0).toBuilder();
    b.getMetadataBuilder().setName("www-web-0").setNamespace("default");
    change.accept(b);
    return b.build();
  }

  private static io.minik8s.api.PodSpec.Builder podSpec(Deployment.Builder b) {
    return b.getSpecBuilder().getTemplateBuilder().getSpecBuilder();
  }

  private static Container.Builder container0(Deployment.Builder b) {
    return podSpec(b).getContainersBuilder(0);
  }

  private static Container.Builder rsContainer0(ReplicaSet.Builder b) {
    return b.getSpecBuilder().getTemplateBuilder().getSpecBuilder().getContainersBuilder(0);
  }

  private static Container.Builder statefulSetContainer0(StatefulSet.Builder b) {
    return b.getSpecBuilder().getTemplateBuilder().getSpecBuilder().getContainersBuilder(0);
  }

  private static OwnerReference owner(String name, String uid) {
    return OwnerReference.newBuilder().setApiVersion("v1").setKind("Foo").setName(name).setUid(uid).setController(true).build();
  }

  private static io.minik8s.api.Endpoints endpoints(String ip) {
    return io.minik8s.api.Endpoints.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("web").setNamespace("default"))
        .addSubsets(io.minik8s.api.EndpointSubset.newBuilder()
            .addAddresses(io.minik8s.api.EndpointAddress.newBuilder().setIp(ip))
            .addPorts(io.minik8s.api.EndpointPort.newBuilder().setPort(2379).setProtocol("TCP")))
        .build();
  }

  private static Volume emptyDir(String name) {
    return Volume.newBuilder().setName(name).setEmptyDir(EmptyDirVolumeSource.getDefaultInstance()).build();
  }
}
