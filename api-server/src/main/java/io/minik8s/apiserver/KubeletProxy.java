package io.minik8s.apiserver;

import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.minik8s.api.Node;
import io.minik8s.api.NodeAddress;
import io.minik8s.api.Pod;
import io.minik8s.apiserver.registry.ApiException;
import io.minik8s.apiserver.registry.Registry;
import io.minik8s.client.api.Resources;
import io.minik8s.client.tls.ClientTls;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import io.minik8s.client.component.SupervisedLoops;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * pods/log and pods/exec: finds the pod's node, and forwards the call to the kubelet at the
 * node's InternalIP and advertised kubelet port, streaming the answer back. A client that goes
 * away cancels the call to the kubelet (so a {@code logs -f} ends there too).
 */
final class KubeletProxy implements AutoCloseable {
  /** A channel that carried no call for this long is closed (it reconnects on the next call). */
  static final Duration CHANNEL_IDLE_TIMEOUT = Duration.ofMinutes(5);

  private final Registry registry;
  private final KubeletChannels channels;
  private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "kubelet-channel-sweeper");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param tls the api-server's client certificate toward the kubelets, and the CA their serving
   *     certificates must be signed by: the api-server checks that the kubelet it reached serves
   *     the node's address (stricter than kubeadm's default, which does not check the kubelet)
   */
  KubeletProxy(Registry registry, MeterRegistry metrics, SupervisedLoops loops, ClientTls tls) {
    this.registry = registry;
    var ssl = tls.sslContext();
    this.channels = new KubeletChannels(t -> {
      NettyChannelBuilder b = NettyChannelBuilder.forTarget(t);
      ssl.ifPresentOrElse(b::sslContext, b::usePlaintext);
      return b.build();
    }, CHANNEL_IDLE_TIMEOUT, Clock.systemUTC());
    Gauge.builder("apiserver_kubelet_channels", channels, KubeletChannels::size)
        .description("Open channels to kubelets, for logs and exec").register(metrics);
    Duration every = CHANNEL_IDLE_TIMEOUT.dividedBy(5);
    loops.scheduleWithFixedDelay(sweeper, "kubelet-channel-sweeper", every, every,
        () -> channels.sweep(this::nodeExists));
  }

  private boolean nodeExists(String node) {
    try {
      registry.get(Resources.NODES, "", node);
      return true;
    } catch (ApiException e) {
      return e.code() != Status.Code.NOT_FOUND;
    }
  }

  <Q, R> void forward(String namespace, String name, MethodDescriptor<Q, R> method, Q request, StreamObserver<R> out) {
    Kubelet kubelet;
    try {
      kubelet = kubeletOf(namespace, name);
    } catch (ApiException e) {
      out.onError(e.toStatus());
      return;
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    }
    ManagedChannel channel = channels.acquire(kubelet.node(), kubelet.target());
    Runnable release = once(() -> channels.release(kubelet.node(), channel));
    ClientCall<Q, R> call = channel.newCall(method, io.grpc.CallOptions.DEFAULT);
    ((ServerCallStreamObserver<R>) out).setOnCancelHandler(() -> call.cancel("client cancelled", null));
    ClientCalls.asyncServerStreamingCall(call, request, new StreamObserver<R>() {
      @Override
      public void onNext(R value) {
        out.onNext(value);
      }

      @Override
      public void onError(Throwable t) {
        release.run();
        out.onError(t);
      }

      @Override
      public void onCompleted() {
        release.run();
        out.onCompleted();
      }
    });
  }

  private static Runnable once(Runnable r) {
    AtomicBoolean done = new AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        r.run();
      }
    };
  }

  private record Kubelet(String node, String target) {}

  private Kubelet kubeletOf(String namespace, String name) {
    Pod pod = (Pod) registry.get(Resources.PODS, namespace, name);
    String nodeName = pod.getSpec().getNodeName();
    if (nodeName.isEmpty()) {
      throw Status.FAILED_PRECONDITION.withDescription("pod " + name + " is not scheduled to a node yet")
          .asRuntimeException();
    }
    Node node = (Node) registry.get(Resources.NODES, "", nodeName);
    String ip = node.getStatus().getAddressesList().stream().filter(a -> a.getType().equals("InternalIP"))
        .map(NodeAddress::getAddress).findFirst().orElse("");
    int port = node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();
    if (ip.isEmpty() || port == 0) {
      throw Status.UNAVAILABLE.withDescription("node " + nodeName + " advertises no kubelet endpoint").asRuntimeException();
    }
    return new Kubelet(nodeName, (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port);
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    channels.close();
  }
}
