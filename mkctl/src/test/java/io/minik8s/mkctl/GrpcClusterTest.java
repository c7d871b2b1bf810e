package io.minik8s.mkctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.minik8s.api.ApiGrpc;
import io.minik8s.api.GetRequest;
import io.minik8s.api.ListRequest;
import io.minik8s.api.ListResponse;
import io.minik8s.api.WatchEvent;
import io.minik8s.api.WatchRequest;
import io.minik8s.client.api.KubeObjects;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** mkctl over real gRPC, against a stub Api service on a local port. */
class GrpcClusterTest {
  private Server server;

  /** Serves one pod: get and list find it, watch sends one event and ends as expired. */
  private static final class StubApi extends ApiGrpc.ApiImplBase {
    @Override
    public void get(GetRequest request, StreamObserver<io.minik8s.api.Object> response) {
      if (request.getName().equals("web-0")) {
        response.onNext(KubeObjects.wrap(TestObjects.runningPod("default", "web-0", "web")));
        response.onCompleted();
      } else {
        response.onError(Status.NOT_FOUND.withDescription("pods \"" + request.getName() + "\" not found").asRuntimeException());
      }
    }

    @Override
    public void list(ListRequest request, StreamObserver<ListResponse> response) {
      response.onNext(ListResponse.newBuilder().setResourceVersion("42")
          .addItems(KubeObjects.wrap(TestObjects.runningPod("default", "web-0", "web"))).build());
      response.onCompleted();
    }

    @Override
    public void watch(WatchRequest request, StreamObserver<WatchEvent> response) {
      response.onNext(WatchEvent.newBuilder().setType("MODIFIED")
          .setObject(KubeObjects.wrap(TestObjects.runningPod("default", "web-0", "web").toBuilder()
              .setMetadata(TestObjects.meta("default", "web-0").setDeletionTimestamp("2024-05-01T10:59:00Z")).build()))
          .build());
      response.onError(Status.OUT_OF_RANGE.withDescription("too old resource version: " + request.getResourceVersion())
          .asRuntimeException());
    }
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.shutdownNow();
    }
  }

  private MkctlRunner.Result run(String servers, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Environment env = new Environment(new ServerResolver(name -> null, () -> Optional.of("insecure-plaintext: true")), GrpcCluster::connect,
        Clock.fixed(MkctlRunner.NOW, ZoneOffset.UTC), System.in);
    String[] all = new String[args.length + 2];
    all[0] = "--server";
    all[1] = servers;
    System.arraycopy(args, 0, all, 2, args.length);
    int code = Mkctl.run(env, new PrintWriter(out), new PrintWriter(err), all);
    return new MkctlRunner.Result(code, out.toString(), err.toString());
  }

  private String start() throws Exception {
    server = NettyServerBuilder.forPort(0).addService(new StubApi()).build().start();
    return "127.0.0.1:" + server.getPort();
  }

  @Test
  void getListsAndReportsServerErrorsOverGrpc() throws Exception {
    String address = start();

    assertThat(run(address, "get", "pods", "-o", "name").out()).isEqualTo("pod/web-0\n");
    MkctlRunner.Result missing = run(address, "get", "pod", "nope");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("Error from server (NotFound): pods \"nope\" not found\n");
  }

  @Test
  void watchStreamsEventsFromTheListsRevision() throws Exception {
    String address = start();

    MkctlRunner.Result r = run(address, "get", "pods", "--watch");

    assertThat(r.out().lines().toList()).containsExactly(
        "NAME    READY   STATUS    RESTARTS   AGE",
        "web-0   1/1     Running   0          60m",
        // A later row wider than the table so far widens its column from there on.
        "web-0   1/1     Terminating   0          60m");
    assertThat(r.err()).isEqualTo("Error from server (Expired): too old resource version: 42\n");
  }

  @Test
  void aServerThatIsNotThereIsAConnectionRefusal() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    MkctlRunner.Result r = run("127.0.0.1:" + port, "get", "pods");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("The connection to the server 127.0.0.1:" + port
        + " was refused - did you specify the right host or port?\n");
  }
}
