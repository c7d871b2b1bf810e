package io.minik8s.mkctl.printers;

import io.minik8s.client.printers.PodColumns;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerState;
import io.minik8s.api.ContainerStateRunning;
import io.minik8s.api.ContainerStateTerminated;
import io.minik8s.api.ContainerStateWaiting;
import io.minik8s.api.ContainerStatus;
import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentSpec;
import io.minik8s.api.DeploymentStatus;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.IntOrString;
import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.NodeSpec;
import io.minik8s.api.NodeStatus;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodStatus;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.ReplicaSetSpec;
import io.minik8s.api.ReplicaSetStatus;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.client.api.Resources;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablePrintersTest {
  private static final Instant NOW = Instant.parse("2024-05-01T11:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static ObjectMeta meta(String name, String createdAgo) {
    return ObjectMeta.newBuilder().setName(name).setNamespace("default")
        .setCreationTimestamp(NOW.minus(java.time.Duration.parse(createdAgo)).toString()).build();
  }

  private static Pod pod(String name, PodStatus status) {
    return Pod.newBuilder().setMetadata(meta(name, "PT5M"))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("app").setImage("app:1")))
        .setStatus(status).build();
  }

  private static ContainerStatus.Builder container(ContainerState state) {
    return ContainerStatus.newBuilder().setName("app").setState(state);
  }

  private static String table(Object type, List<? extends com.google.protobuf.Message> objects, TablePrinter.Options o) {
    return new TablePrinter((io.minik8s.client.api.ResourceType) type, o, CLOCK).render(objects);
  }

  @Test
  void podWithACrashLoopingContainerShowsCrashLoopBackOffAndNoneReady() {
    Pod p = pod("web", PodStatus.newBuilder().setPhase("Running")
        .addContainerStatuses(container(ContainerState.newBuilder()
                .setWaiting(ContainerStateWaiting.newBuilder().setReason("CrashLoopBackOff")).build())
            .setReady(false).setRestartCount(4)
            .setLastState(ContainerState.newBuilder().setTerminated(ContainerStateTerminated.newBuilder()
                .setExitCode(1).setReason("Error").setFinishedAt("2024-05-01T10:59:30Z"))))
        .build());

    assertThat(table(Resources.PODS, List.of(p), TablePrinter.Options.plain())).isEqualTo("""
        NAME   READY   STATUS             RESTARTS      AGE
        web    0/1     CrashLoopBackOff   4 (30s ago)   5m
        """);
  }

  @Test
  void podStatusFollowsTheContainersAndDeletion() {
    Pod running = pod("a", PodStatus.newBuilder().setPhase("Running")
        .addContainerStatuses(container(ContainerState.newBuilder()
            .setRunning(ContainerStateRunning.newBuilder().setStartedAt("2024-05-01T10:56:00Z")).build()).setReady(true))
        .build());
    Pod pulling = pod("b", PodStatus.newBuilder().setPhase("Pending")
        .addContainerStatuses(container(ContainerState.newBuilder()
            .setWaiting(ContainerStateWaiting.newBuilder().setReason("ErrImagePull")).build()))
        .build());
    Pod done = pod("c", PodStatus.newBuilder().setPhase("Succeeded")
        .addContainerStatuses(container(ContainerState.newBuilder()
            .setTerminated(ContainerStateTerminated.newBuilder().setExitCode(0).setReason("Completed")).build()))
        .build());
    Pod deleting = running.toBuilder()
        .setMetadata(running.getMetadata().toBuilder().setDeletionTimestamp("2024-05-01T10:59:00Z")).build();
    Pod unscheduled = pod("e", PodStatus.getDefaultInstance());

    assertThat(PodColumns.status(running)).isEqualTo("Running");
    assertThat(PodColumns.ready(running)).isEqualTo("1/1");
    assertThat(PodColumns.status(pulling)).isEqualTo("ErrImagePull");
    assertThat(PodColumns.status(done)).isEqualTo("Completed");
    assertThat(PodColumns.status(deleting)).isEqualTo("Terminating");
    assertThat(PodColumns.status(unscheduled)).isEqualTo("Pending");
    assertThat(PodColumns.ready(unscheduled)).isEqualTo("0/1");
  }

  @Test
  void podWaitingForItsInitContainersShowsInitProgress() {
    Pod p = pod("web", PodStatus.newBuilder().setPhase("Pending")
            .addInitContainerStatuses(ContainerStatus.newBuilder().setName("init").setState(ContainerState.newBuilder()
                .setRunning(ContainerStateRunning.getDefaultInstance())))
            .build()).toBuilder()
        .setSpec(PodSpec.newBuilder().addInitContainers(Container.newBuilder().setName("init"))
            .addContainers(Container.newBuilder().setName("app")))
        .build();
    assertThat(PodColumns.status(p)).isEqualTo("Init:0/1");
  }

  @Test
  void widePodTableAddsIpAndNodeAfterAge() {
    Pod p = pod("web", PodStatus.newBuilder().setPhase("Running").setPodIp("10.244.1.5").build());
    p = p.toBuilder().setSpec(p.getSpec().toBuilder().setNodeName("node-1")).build();
    String text = table(Resources.PODS, List.of(p), new TablePrinter.Options(true, false, false, false, false));
    assertThat(text.lines().toList()).containsExactly(
        "NAME   READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES",
        "web    0/1     Running   0          5m    10.244.1.5   node-1   <none>           <none>");
  }

  @Test
  void servicePortsShowNodePortsAndHeadlessServicesShowNone() {
    Service nodePort = Service.newBuilder().setMetadata(meta("frontend", "PT4H"))
        .setSpec(ServiceSpec.newBuilder().setType("NodePort").setClusterIp("10.96.0.12")
            .addPorts(ServicePort.newBuilder().setPort(80).setNodePort(30080).setProtocol("TCP")
                .setTargetPort(IntOrString.newBuilder().setIntVal(80))))
        .build();
    Service headless = Service.newBuilder().setMetadata(meta("web", "PT30S"))
        .setSpec(ServiceSpec.newBuilder().setClusterIp("None")
            .addPorts(ServicePort.newBuilder().setName("http").setPort(80)))
        .build();
    Service bare = Service.newBuilder().setMetadata(meta("bare", "PT30S")).build();

    assertThat(table(Resources.SERVICES, List.of(nodePort, headless, bare), TablePrinter.Options.plain())).isEqualTo("""
        NAME       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)        AGE
        frontend   NodePort    10.96.0.12   <none>        80:30080/TCP   4h
        web        ClusterIP   None         <none>        80/TCP         30s
        bare       ClusterIP   <none>       <none>        <none>         30s
        """);
  }

  @Test
  void nodeThatIsNotReadyAndCordonedShowsBoth() {
    Node n = Node.newBuilder().setMetadata(meta("node-1", "P3D").toBuilder().clearNamespace()
            .putLabels("node-role.kubernetes.io/control-plane", ""))
        .setSpec(NodeSpec.newBuilder().setUnschedulable(true))
        .setStatus(NodeStatus.newBuilder()
            .addConditions(NodeCondition.newBuilder().setType("Ready").setStatus("False"))
            .setNodeInfo(io.minik8s.api.NodeSystemInfo.newBuilder().setKubeletVersion("v0.1.0")))
        .build();
    Node unknown = Node.newBuilder().setMetadata(meta("node-2", "PT1H").toBuilder().clearNamespace())
        .setStatus(NodeStatus.newBuilder()
            .setNodeInfo(io.minik8s.api.NodeSystemInfo.newBuilder().setKubeletVersion("v0.1.0")))
        .build();

    assertThat(table(Resources.NODES, List.of(n, unknown), TablePrinter.Options.plain())).isEqualTo("""
        NAME     STATUS                        ROLES           AGE   VERSION
        node-1   NotReady,SchedulingDisabled   control-plane   3d    v0.1.0
        node-2   Unknown                       <none>          60m   v0.1.0
        """);
  }

  @Test
  void deploymentReadyIsReadyOverDesired() {
    Deployment d = Deployment.newBuilder().setMetadata(meta("nginx-deployment", "PT10S"))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(3))
        .setStatus(DeploymentStatus.newBuilder().setReadyReplicas(2).setUpdatedReplicas(3).setAvailableReplicas(2))
        .build();
    assertThat(table(Resources.DEPLOYMENTS, List.of(d), TablePrinter.Options.plain())).isEqualTo("""
        NAME               READY   UP-TO-DATE   AVAILABLE   AGE
        nginx-deployment   2/3     3            2           10s
        """);
  }

  @Test
  void replicaSetShowsDesiredCurrentAndReady() {
    ReplicaSet rs = ReplicaSet.newBuilder().setMetadata(meta("frontend", "PT4M"))
        .setSpec(ReplicaSetSpec.newBuilder().setReplicas(3))
        .setStatus(ReplicaSetStatus.newBuilder().setReplicas(3).setReadyReplicas(1))
        .build();
    assertThat(table(Resources.REPLICA_SETS, List.of(rs), TablePrinter.Options.plain())).isEqualTo("""
        NAME       DESIRED   CURRENT   READY   AGE
        frontend   3         3         1       4m
        """);
  }

  @Test
  void endpointsListTheFirstThreeAddressesAndCountTheRest() {
    EndpointSubset.Builder subset = EndpointSubset.newBuilder().addPorts(EndpointPort.newBuilder().setPort(80));
    for (int i = 1; i <= 4; i++) {
      subset.addAddresses(EndpointAddress.newBuilder().setIp("10.0.0." + i));
    }
    Endpoints e = Endpoints.newBuilder().setMetadata(meta("frontend", "PT1M")).addSubsets(subset).build();
    Endpoints empty = Endpoints.newBuilder().setMetadata(meta("idle", "PT1M")).build();

    assertThat(table(Resources.ENDPOINTS, List.of(e, empty), TablePrinter.Options.plain())).isEqualTo("""
        NAME       ENDPOINTS                                         AGE
        frontend   10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...   60s
        idle       <none>                                            60s
        """);
  }

  @Test
  void allNamespacesAddsANamespaceColumnAndShowLabelsALabelsColumn() {
    Pod p = pod("web", PodStatus.newBuilder().setPhase("Running").build());
    p = p.toBuilder().setMetadata(p.getMetadata().toBuilder().putLabels("tier", "front").putLabels("app", "web")).build();
    String text = table(Resources.PODS, List.of(p), new TablePrinter.Options(false, true, false, true, false));
    assertThat(text.lines().toList()).containsExactly(
        "NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE   LABELS",
        "default     web    0/1     Running   0          5m    app=web,tier=front");
  }

  @Test
  void severalKindsTogetherPrefixNamesWithTheirKind() {
    Deployment d = Deployment.newBuilder().setMetadata(meta("web", "PT10S")).build();
    String text = table(Resources.DEPLOYMENTS, List.of(d), new TablePrinter.Options(false, false, true, false, true));
    assertThat(text).startsWith("deployment.apps/web   0/1");
  }
}
