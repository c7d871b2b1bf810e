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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * pods/log and pods/exec: finds the pod's node, and forwards the call to the kubelet at the
 * node's InternalIP and advertised kubelet port, streaming the answer back. A client that goes
 * away cancels the call to the kubelet (so a {@code logs -f} ends there too).
 */
final class KubeletProxy implements AutoCloseable {
  private final Registry registry;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  KubeletProxy(Registry registry) {
    this.registry = registry;
  }

  <Q, R> void forward(String namespace, String name, MethodDescriptor<Q, R> method, Q request, StreamObserver<R> out) {
    ManagedChannel channel;
    try {
      channel = channelFor(namespace, name);
    } catch (ApiException e) {
      out.onError(e.toStatus());
      return;
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    }
    ClientCall<Q, R> call = channel.newCall(method, io.grpc.CallOptions.DEFAULT);
    ((ServerCallStreamObserver<R>) out).setOnCancelHandler(() -> call.cancel("client cancelled", null));
    ClientCalls.asyncServerStreamingCall(call, request, new StreamObserver<R>() {
      @Override
      public void onNext(R value) {
        out.onNext(value);
      }

      @Override
      public void onError(Throwable t) {
        out.onError(t);
      }

      @Override
      public void onCompleted() {
        out.onCompleted();
      }
    });
  }

  private ManagedChannel channelFor(String namespace, String name) {
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
    String target = (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    return channels.computeIfAbsent(target, t -> NettyChannelBuilder.forTarget(t).usePlaintext().build());
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
