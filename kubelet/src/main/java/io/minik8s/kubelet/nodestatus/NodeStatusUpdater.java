package io.minik8s.kubelet.nodestatus;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.DaemonEndpoint;
import io.minik8s.api.Node;
import io.minik8s.api.NodeAddress;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.NodeDaemonEndpoints;
import io.minik8s.api.NodeStatus;
import io.minik8s.api.NodeSystemInfo;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import io.minik8s.kubelet.container.ContainerRuntime;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers this node's Node object and keeps its status current: capacity from the Docker
 * host, addresses, the kubelet's endpoint, node info, and the Ready condition, which is True
 * only while the container runtime answers and the pod network exists. Until the node has its pod
 * network (the kubelet waits for a pod CIDR first), Ready is False with the reason Kubernetes'
 * kubelet gives when its network plugin is not ready, so nothing is scheduled to the node and no
 * one mistakes a registered node for a working one.
 *
 * <p>Mirrors Kubernetes' pkg/kubelet/kubelet_node_status.go and pkg/kubelet/nodestatus/setters.go.
 */
public final class NodeStatusUpdater {
  private static final Logger log = LoggerFactory.getLogger(NodeStatusUpdater.class);
  public static final String MAX_PODS = "110";

  private final ApiClient client;
  private final ContainerRuntime runtime;
  private final String nodeName;
  private final String nodeIp;
  private final String hostname;
  private final int kubeletPort;
  private final BooleanSupplier healthy;
  private volatile boolean networkReady;
  private final Clock clock;

  public NodeStatusUpdater(ApiClient client, ContainerRuntime runtime, String nodeName, String nodeIp, String hostname,
      int kubeletPort, BooleanSupplier healthy, Clock clock) {
    this.client = client;
    this.runtime = runtime;
    this.nodeName = nodeName;
    this.nodeIp = nodeIp;
    this.hostname = hostname;
    this.kubeletPort = kubeletPort;
    this.healthy = healthy;
    this.clock = clock;
  }

  /** Called once the pod network exists; from then on Ready follows the runtime's health. */
  public void networkReady() {
    networkReady = true;
  }

  /** Creates the Node, or takes over an existing one of the same name; returns it as stored. */
  public Node register() {
    Node node = Node.newBuilder().setApiVersion("v1").setKind("Node")
        .setMetadata(ObjectMeta.newBuilder().setName(nodeName)
            .putLabels("kubernetes.io/hostname", nodeName).putLabels("kubernetes.io/os", "linux")
            .putLabels("kubernetes.io/arch", System.getProperty("os.arch").replace("x86_64", "amd64")))
        .build();
    try {
      client.create(node);
      log.info("registered node {}", nodeName);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
        throw e;
      }
      log.info("node {} exists already: taking it over", nodeName);
    }
    return update();
  }

  /** Writes the current status (with a fresh heartbeat); returns the node as stored. */
  public Node update() {
    for (int attempt = 0; ; attempt++) {
      Node current = client.get(Resources.NODES, "", nodeName);
      try {
        return client.updateStatus(current.toBuilder().setStatus(status(current.getStatus())).build());
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.ABORTED || attempt >= 4) {
          throw e;
        }
      }
    }
  }

  private NodeStatus status(NodeStatus old) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    NodeStatus.Builder s = NodeStatus.newBuilder()
        .addAddresses(NodeAddress.newBuilder().setType("InternalIP").setAddress(nodeIp))
        .addAddresses(NodeAddress.newBuilder().setType("Hostname").setAddress(hostname))
        .setDaemonEndpoints(NodeDaemonEndpoints.newBuilder()
            .setKubeletEndpoint(DaemonEndpoint.newBuilder().setPort(kubeletPort)));
    String reason;
    String message;
    boolean ready;
    try {
      String version = runtime.version();
      ContainerRuntime.MachineInfo m = runtime.machineInfo();
      Map<String, String> capacity = Map.of("cpu", Integer.toString(m.cpus()),
          "memory", (m.memoryBytes() / 1024) + "Ki", "pods", MAX_PODS);
      s.putAllCapacity(capacity).putAllAllocatable(capacity)
          .setNodeInfo(NodeSystemInfo.newBuilder().setContainerRuntimeVersion("docker://" + version)
              .setKubeletVersion("v0.1.0-minik8s").setKernelVersion(m.kernelVersion()).setOsImage(m.osImage())
              .setOperatingSystem(m.operatingSystem()).setArchitecture(m.architecture()));
      ready = networkReady && healthy.getAsBoolean();
      reason = ready ? "KubeletReady" : "KubeletNotReady";
      message = ready ? "kubelet is posting ready status"
          : !networkReady ? "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
              + "message:the pod network is not set up yet (waiting for a pod CIDR)"
          : "PLEG is not healthy";
    } catch (RuntimeException e) {
      // Keep what we knew about the machine; only readiness changes.
      s.putAllCapacity(old.getCapacityMap()).putAllAllocatable(old.getAllocatableMap()).setNodeInfo(old.getNodeInfo());
      ready = false;
      reason = "KubeletNotReady";
      message = "container runtime is down: " + e.getMessage();
    }
    s.addConditions(condition(old, "Ready", ready ? "True" : "False", reason, message, now));
    for (String pressure : new String[] {"MemoryPressure", "DiskPressure", "PIDPressure"}) {
      s.addConditions(condition(old, pressure, "False", "KubeletHasSufficient" + pressure.replace("Pressure", ""),
          "kubelet has sufficient " + pressure.replace("Pressure", "").toLowerCase(), now));
    }
    return s.build();
  }

  private static NodeCondition condition(NodeStatus old, String type, String status, String reason, String message,
      String now) {
    String since = old.getConditionsList().stream()
        .filter(c -> c.getType().equals(type) && c.getStatus().equals(status))
        .map(NodeCondition::getLastTransitionTime).findFirst().orElse(now);
    return NodeCondition.newBuilder().setType(type).setStatus(status).setReason(reason).setMessage(message)
        .setLastHeartbeatTime(now).setLastTransitionTime(since).build();
  }
}
