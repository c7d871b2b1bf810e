package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.HTTPGetAction;
import io.minik8s.api.HostPathVolumeSource;
import io.minik8s.api.IntOrString;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.Probe;
import io.minik8s.api.SecurityContext;
import io.minik8s.api.Service;
import io.minik8s.api.ServiceSpec;
import io.minik8s.api.Volume;
import io.minik8s.api.VolumeMount;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #11's "pods cannot take over their node", against a real api-server and etcd: each row is
 * a request that would hand a pod (or its author) the node, refused with the field or reason
 * Kubernetes names, and afterwards the namespace's pods, Services and Endpoints are exactly as
 * before (same objects, same resourceVersions): nothing stored, nothing changed.
 */
@Timeout(120)
class HostileInputTest {
  static ApiClient client;

  @BeforeAll
  static void start() {
    client = ControlPlane.shared().client;
  }

  /** A row: what exists first, the hostile request, the status code and the exact message. */
  static Arguments hostile(String name, BiConsumer<ApiClient, String> before, BiConsumer<ApiClient, String> request,
      Status.Code code, String message) {
    return Arguments.of(name, before, request, code, message);
  }

  static Stream<Arguments> cases() {
    BiConsumer<ApiClient, String> nothing = (c, ns) -> { };
    String psa = "pods \"p\" is forbidden: violates PodSecurity \"baseline:latest\": ";
    String c0 = "Pod \"p\" is invalid: spec.containers[0].";
    return Stream.of(
        hostile("hostPath / in an unprivileged namespace", nothing,
            (c, ns) -> c.create(pod(ns, s -> s.addVolumes(hostPathVolume("/"))
                .setContainers(0, s.getContainers(0).toBuilder().addVolumeMounts(mount("root", "/host", ""))))),
            Status.Code.PERMISSION_DENIED, psa + "hostPath volumes (volume \"root\")"),
        hostile("hostPath of the Docker socket", nothing,
            (c, ns) -> c.create(pod(ns, s -> s.addVolumes(hostPathVolume("/var/run/docker.sock")
                .toBuilder().setName("docker")))),
            Status.Code.PERMISSION_DENIED, psa + "hostPath volumes (volume \"docker\")"),
        hostile("a privileged container", nothing,
            (c, ns) -> c.create(pod(ns, s -> s.setContainers(0, s.getContainers(0).toBuilder()
                .setSecurityContext(SecurityContext.newBuilder().setPrivileged(true))))),
            Status.Code.PERMISSION_DENIED, psa + "privileged (container \"app\" must not set securityContext.privileged=true)"),
        hostile("the host's network namespace", nothing,
            (c, ns) -> c.create(pod(ns, s -> s.setHostNetwork(true))),
            Status.Code.PERMISSION_DENIED, psa + "host namespaces (hostNetwork=true)"),
        hostile("a host port", nothing,
            (c, ns) -> c.create(pod(ns, s -> s.setContainers(0, s.getContainers(0).toBuilder()
                .addPorts(ContainerPort.newBuilder().setContainerPort(22).setHostPort(2222))))),
            Status.Code.PERMISSION_DENIED, psa + "hostPort (container \"app\" uses hostPort 2222)"),
        hostile("a subPath escape from an emptyDir", nothing,
            (c, ns) -> c.create(scratchPod(ns, "/x", "../../../../")),
            Status.Code.INVALID_ARGUMENT, c0 + "volumeMounts[0].subPath: Invalid value: \"../../../../\": must not contain '..'"),
        hostile("an absolute subPath", nothing,
            (c, ns) -> c.create(scratchPod(ns, "/x", "/etc")),
            Status.Code.INVALID_ARGUMENT, c0 + "volumeMounts[0].subPath: Invalid value: \"/etc\": must be a relative path"),
        hostile("a mountPath that smuggles a second bind", nothing,
            (c, ns) -> c.create(scratchPod(ns, "/x:/etc", "")),
            Status.Code.INVALID_ARGUMENT, c0 + "volumeMounts[0].mountPath: Invalid value: \"/x:/etc\": must not contain ':'"),
        hostile("a probe path with CR/LF", nothing,
            (c, ns) -> c.create(pod(ns, s -> s.setContainers(0, s.getContainers(0).toBuilder()
                .setLivenessProbe(Probe.newBuilder().setHttpGet(HTTPGetAction.newBuilder()
                    .setPath("/healthz HTTP/1.1\r\nHost: etcd\r\n\r\nDELETE /v3/kv").setPort(IntOrString.newBuilder().setIntVal(80))))))),
            Status.Code.INVALID_ARGUMENT, c0 + "livenessProbe.httpGet.path: Invalid value: "
                + "\"/healthz HTTP/1.1\\r\\nHost: etcd\\r\\n\\r\\nDELETE /v3/kv\": must be a URL path: letters, digits and "
                + "-._~!$&'()*+,;=:@/?% only (no spaces, no control characters such as CR or LF, no '#')"),
        hostile("Endpoints at 127.0.0.1:2379 (etcd)", nothing,
            (c, ns) -> c.create(endpoints(ns, "127.0.0.1", 2379)),
            Status.Code.INVALID_ARGUMENT, "Endpoints \"etcd\" is invalid: subsets[0].addresses[0].ip: Invalid value: "
                + "\"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)"),
        hostile("Endpoints at the cloud metadata address", nothing,
            (c, ns) -> c.create(endpoints(ns, "169.254.169.254", 80)),
            Status.Code.INVALID_ARGUMENT, "Endpoints \"etcd\" is invalid: subsets[0].addresses[0].ip: Invalid value: "
                + "\"169.254.169.254\": may not be in the link-local range (169.254.0.0/16, fe80::/10)"),
        hostile("Endpoints moved to loopback by an update", (c, ns) -> c.create(endpoints(ns, "10.244.0.9", 2379)),
            (c, ns) -> {
              Endpoints current = c.get(Resources.ENDPOINTS, ns, "etcd");
              c.update(endpoints(ns, "127.0.0.1", 2379).toBuilder().setMetadata(current.getMetadata()).build());
            },
            Status.Code.INVALID_ARGUMENT, "Endpoints \"etcd\" is invalid: subsets[0].addresses[0].ip: Invalid value: "
                + "\"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)"),
        hostile("ExternalName turned ClusterIP with another Service's address",
            (c, ns) -> {
              c.create(ServiceAllocationTest.svc(ns, "victim", "ClusterIP", "", 0));
              c.create(externalName(ns, "thief"));
            },
            (c, ns) -> {
              Service victim = c.get(Resources.SERVICES, ns, "victim");
              Service thief = c.get(Resources.SERVICES, ns, "thief");
              Service wanted = ServiceAllocationTest.svc(ns, "thief", "ClusterIP", victim.getSpec().getClusterIp(), 0);
              c.update(wanted.toBuilder().setMetadata(thief.getMetadata()).build());
            },
            Status.Code.INVALID_ARGUMENT, "Service \"thief\" is invalid: spec.clusterIPs: Invalid value: "
                + "[]string{\"VICTIM_IP\"}: provided IP is already allocated"),
        hostile("ExternalName turned ClusterIP outside the range", (c, ns) -> c.create(externalName(ns, "thief")),
            (c, ns) -> {
              Service thief = c.get(Resources.SERVICES, ns, "thief");
              Service wanted = ServiceAllocationTest.svc(ns, "thief", "ClusterIP", "127.0.0.1", 0);
              c.update(wanted.toBuilder().setMetadata(thief.getMetadata()).build());
            },
            Status.Code.INVALID_ARGUMENT, "Service \"thief\" is invalid: spec.clusterIPs: Invalid value: "
                + "[]string{\"127.0.0.1\"}: provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12"),
        hostile("a new Service with another Service's address",
            (c, ns) -> c.create(ServiceAllocationTest.svc(ns, "victim", "ClusterIP", "", 0)),
            (c, ns) -> {
              Service victim = c.get(Resources.SERVICES, ns, "victim");
              c.create(ServiceAllocationTest.svc(ns, "thief", "ClusterIP", victim.getSpec().getClusterIp(), 0));
            },
            Status.Code.INVALID_ARGUMENT, "Service \"thief\" is invalid: spec.clusterIPs: Invalid value: "
                + "[]string{\"VICTIM_IP\"}: provided IP is already allocated"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedNamingTheFieldAndChangesNothing(String name, BiConsumer<ApiClient, String> before,
      BiConsumer<ApiClient, String> request, Status.Code code, String message) {
    String ns = Objects.freshNamespace(client, "hostile");
    before.accept(client, ns);
    List<Message> snapshot = contents(ns);
    String expected = snapshot.stream().filter(m -> m instanceof Service s && s.getMetadata().getName().equals("victim"))
        .map(m -> ((Service) m).getSpec().getClusterIp()).findFirst()
        .map(ip -> message.replace("VICTIM_IP", ip)).orElse(message);

    assertThatThrownBy(() -> request.accept(client, ns))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(code);
          assertThat(e.getStatus().getDescription()).isEqualTo(expected);
        });
    assertThat(contents(ns)).as("nothing stored, nothing changed").isEqualTo(snapshot);
    Objects.deleteNamespace(client, ns);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("privilegedCases")
  void aNamespaceLabelledPrivilegedMayDoWhatBaselineRefuses(String name, UnaryOperator<PodSpec.Builder> spec) {
    String ns = Objects.freshNamespace(client, "privileged");
    Namespace n = client.get(Resources.NAMESPACES, "", ns);
    client.update(n.toBuilder().setMetadata(n.getMetadata().toBuilder()
        .putLabels("pod-security.kubernetes.io/enforce", "privileged")).build());

    Pod created = client.create(pod(ns, spec));

    assertThat(client.<Pod>get(Resources.PODS, ns, "p").getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
    Objects.deleteNamespace(client, ns);
  }

  static Stream<Arguments> privilegedCases() {
    return Stream.of(
        Arguments.of("hostPath /", (UnaryOperator<PodSpec.Builder>) s -> s.addVolumes(hostPathVolume("/"))),
        Arguments.of("privileged", (UnaryOperator<PodSpec.Builder>) s -> s.setContainers(0, s.getContainers(0).toBuilder()
            .setSecurityContext(SecurityContext.newBuilder().setPrivileged(true)))));
  }

  /** The namespace's pods, Services and Endpoints, as stored (resourceVersions included). */
  private static List<Message> contents(String ns) {
    return Stream.of(Resources.PODS, Resources.SERVICES, Resources.ENDPOINTS)
        .flatMap(type -> client.<Message>list(type, ns, "").stream()).toList();
  }

  static Pod pod(String ns, UnaryOperator<PodSpec.Builder> spec) {
    PodSpec.Builder s = PodSpec.newBuilder().addContainers(Container.newBuilder().setName("app").setImage(TestImages.BUSYBOX));
    return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName("p"))
        .setSpec(spec.apply(s)).build();
  }

  /** A pod whose container mounts an emptyDir at {@code path}, or its {@code subPath}. */
  static Pod scratchPod(String ns, String path, String subPath) {
    return pod(ns, s -> s.addVolumes(emptyDir())
        .setContainers(0, s.getContainers(0).toBuilder().addVolumeMounts(mount("scratch", path, subPath))));
  }

  static Volume hostPathVolume(String path) {
    return Volume.newBuilder().setName("root").setHostPath(HostPathVolumeSource.newBuilder().setPath(path)).build();
  }

  static Volume emptyDir() {
    return Volume.newBuilder().setName("scratch").setEmptyDir(io.minik8s.api.EmptyDirVolumeSource.getDefaultInstance()).build();
  }

  static VolumeMount mount(String volume, String path, String subPath) {
    return VolumeMount.newBuilder().setName(volume).setMountPath(path).setSubPath(subPath).build();
  }

  static Endpoints endpoints(String ns, String ip, int port) {
    return Endpoints.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName("etcd"))
        .addSubsets(EndpointSubset.newBuilder().addAddresses(EndpointAddress.newBuilder().setIp(ip))
            .addPorts(EndpointPort.newBuilder().setPort(port).setProtocol("TCP")))
        .build();
  }

  static Service externalName(String ns, String name) {
    return Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName(name))
        .setSpec(ServiceSpec.newBuilder().setType("ExternalName").setExternalName("db.example.com")).build();
  }
}
