package io.minik8s.kubelet.server;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.minik8s.api.ExecOutput;
import io.minik8s.api.KubeletGrpc;
import io.minik8s.api.LogChunk;
import io.minik8s.api.Pod;
import io.minik8s.api.PodExecRequest;
import io.minik8s.api.PodLogsRequest;
import io.grpc.ServerInterceptors;
import io.minik8s.client.tls.ClientTls;
import io.minik8s.client.tls.ServingTls;
import io.minik8s.kubelet.Labels;
import io.minik8s.kubelet.container.ContainerRuntime;
import io.minik8s.kubelet.container.RuntimeContainer;
import com.google.protobuf.ByteString;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * The kubelet's own gRPC endpoint: container logs and exec, which the api-server proxies to for
 * {@code mkctl logs} and {@code mkctl exec} (Kubernetes' kubelet server on port 10250). With TLS
 * it serves the node's certificate and takes only callers with a certificate from the cluster CA
 * in {@code system:masters} ({@link ApiServerOnly}): anyone else reaching the port could run
 * commands in every pod of the node.
 */
public final class KubeletServer implements AutoCloseable {
  private final Server server;

  public KubeletServer(String bindAddress, int port, ContainerRuntime runtime, String nodeName,
      BiFunction<String, String, Pod> podLookup, Optional<ServingTls> tls) throws IOException {
    NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(bindAddress, port));
    Service service = new Service(runtime, nodeName, podLookup);
    if (tls.isPresent()) {
      b.sslContext(tls.get().sslContext(true)).addService(ServerInterceptors.intercept(service, new ApiServerOnly(nodeName)));
    } else {
      b.addService(service);
    }
    this.server = b.build().start();
  }

  /** The node's certificate serves the port too, and the CA that signed it must have signed the callers'. */
  public static Optional<ServingTls> servingTls(ClientTls tls) {
    return tls.isPlaintext() || tls.certificate().isEmpty() ? Optional.empty()
        : Optional.of(new ServingTls(tls.certFile(), tls.keyFile(), tls.caFile()));
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Service extends KubeletGrpc.KubeletImplBase {
    private final ContainerRuntime runtime;
    private final String nodeName;
    private final BiFunction<String, String, Pod> podLookup;

    Service(ContainerRuntime runtime, String nodeName, BiFunction<String, String, Pod> podLookup) {
      this.runtime = runtime;
      this.nodeName = nodeName;
      this.podLookup = podLookup;
    }

    /** The container instances of the request's pod and container, newest first. */
    private List<RuntimeContainer> instances(String namespace, String name, String container) {
      Pod pod = podLookup.apply(namespace, name);
      if (pod == null) {
        throw Status.NOT_FOUND.withDescription("pods \"" + name + "\" not found on node " + nodeName).asRuntimeException();
      }
      String c = container;
      if (c.isEmpty()) {
        if (pod.getSpec().getContainersCount() != 1) {
          throw Status.INVALID_ARGUMENT.withDescription("a container name must be specified for pod " + name
              + ", choose one of: " + pod.getSpec().getContainersList().stream().map(x -> x.getName()).toList())
              .asRuntimeException();
        }
        c = pod.getSpec().getContainers(0).getName();
      }
      String wanted = c;
      if (pod.getSpec().getContainersList().stream().noneMatch(x -> x.getName().equals(wanted))
          && pod.getSpec().getInitContainersList().stream().noneMatch(x -> x.getName().equals(wanted))) {
        throw Status.INVALID_ARGUMENT.withDescription("container " + c + " is not valid for pod " + name)
            .asRuntimeException();
      }
      return runtime.listContainers(Labels.POD_UID, pod.getMetadata().getUid()).stream()
          .filter(x -> nodeName.equals(x.labels().get(Labels.NODE)) && x.containerName().equals(wanted))
          .sorted(Comparator.comparingInt(RuntimeContainer::restartCount).reversed()).toList();
    }

    @Override
    public void logs(PodLogsRequest req, StreamObserver<LogChunk> out) {
      List<RuntimeContainer> found = instances(req.getNamespace(), req.getName(), req.getContainer());
      int index = req.getPrevious() ? 1 : 0;
      if (found.size() <= index) {
        throw Status.INVALID_ARGUMENT.withDescription(req.getPrevious()
            ? "previous terminated container not found" : "container is waiting to start").asRuntimeException();
      }
      var serverOut = (ServerCallStreamObserver<LogChunk>) out;
      AtomicBoolean done = new AtomicBoolean();
      Closeable stream = runtime.logs(found.get(index).id(), req.getFollow() && !req.getPrevious(),
          req.hasTailLines() ? req.getTailLines() : null,
          (kind, bytes) -> {
            synchronized (out) {
              if (!done.get() && !serverOut.isCancelled()) {
                out.onNext(LogChunk.newBuilder().setStream(kind).setData(ByteString.copyFrom(bytes)).build());
              }
            }
          },
          () -> {
            synchronized (out) {
              if (done.compareAndSet(false, true) && !serverOut.isCancelled()) {
                out.onCompleted();
              }
            }
          });
      serverOut.setOnCancelHandler(() -> {
        done.set(true);
        try {
          stream.close();
        } catch (IOException e) {
          // the client has gone; nothing to tell it
        }
      });
    }

    @Override
    public void exec(PodExecRequest req, StreamObserver<ExecOutput> out) {
      List<RuntimeContainer> found = instances(req.getNamespace(), req.getName(), req.getContainer());
      if (found.isEmpty() || !found.get(0).running()) {
        throw Status.FAILED_PRECONDITION.withDescription("container is not running").asRuntimeException();
      }
      var serverOut = (ServerCallStreamObserver<ExecOutput>) out;
      // A client that goes away (mkctl interrupted, the api-server's call cancelled) interrupts
      // the exec, and the runtime kills the command: it must not run on for its hour.
      Thread runner = Thread.ofVirtual().name("exec-" + req.getNamespace() + "/" + req.getName()).unstarted(() -> {
        try {
          OptionalInt code = runtime.exec(found.get(0).id(), req.getCommandList(),
              stream(out, false), stream(out, true), Duration.ofHours(1));
          synchronized (out) {
            if (!serverOut.isCancelled()) {
              out.onNext(ExecOutput.newBuilder().setExitCode(code.orElse(-1)).build());
              out.onCompleted();
            }
          }
        } catch (RuntimeException e) {
          if (!serverOut.isCancelled()) {
            out.onError(Status.INTERNAL.withDescription(String.valueOf(e.getMessage())).asRuntimeException());
          }
        }
      });
      serverOut.setOnCancelHandler(runner::interrupt);
      runner.start();
    }

    private static OutputStream stream(StreamObserver<ExecOutput> out, boolean err) {
      return new OutputStream() {
        @Override
        public void write(int b) {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          ByteString data = ByteString.copyFrom(b, off, len);
          synchronized (out) {
            out.onNext(err ? ExecOutput.newBuilder().setStderr(data).build()
                : ExecOutput.newBuilder().setStdout(data).build());
          }
        }
      };
    }
  }
}
