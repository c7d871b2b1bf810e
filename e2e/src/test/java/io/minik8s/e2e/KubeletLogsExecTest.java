package io.minik8s.e2e;

import static io.minik8s.e2e.KubeletFixture.sh;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.minik8s.api.ExecOutput;
import io.minik8s.api.PodExecRequest;
import io.minik8s.client.api.Resources;
import io.minik8s.mkctl.Environment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** mkctl logs (-f, --tail) and mkctl exec, through the api-server's proxy to the node's kubelet. */
class KubeletLogsExecTest {
  static KubeletFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new KubeletFixture("kl-logs").start();
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  @Test
  void execRunsInTheContainerAndReturnsItsExitCode() {
    f.create(KubeletFixture.pod("exec", "Always", sh("main", "echo ready > /tmp/state; exec sleep 3600")));
    f.await("exec", Duration.ofSeconds(60), KubeletFixture::running);
    Mkctl.Result r = Mkctl.run(f.cp.server(), "-n", f.namespace, "exec", "exec", "--", "cat", "/tmp/state");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("ready\n");
    Mkctl.Result failed = Mkctl.run(f.cp.server(), "-n", f.namespace, "exec", "exec", "--", "sh", "-c", "echo oops >&2; exit 7");
    assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(7);
    assertThat(failed.err()).contains("oops");
  }

  @Test
  void logsFollowStreamsNewLinesUntilThePodGoes() {
    f.create(KubeletFixture.pod("talker", "Always",
        sh("main", "i=0; while true; do i=$((i+1)); echo line-$i; sleep 1; done")));
    f.await("talker", Duration.ofSeconds(60), KubeletFixture::running);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
        Mkctl.run(f.cp.server(), "-n", f.namespace, "logs", "talker").out().contains("line-2"));
    Mkctl.Result tail = Mkctl.run(f.cp.server(), "-n", f.namespace, "logs", "talker", "--tail", "1");
    assertThat(tail.out().lines().count()).as(tail.toString()).isEqualTo(1);

    StringWriter out = new StringWriter();
    CompletableFuture<Integer> follow = CompletableFuture.supplyAsync(() -> io.minik8s.mkctl.Mkctl.run(
        Environment.system(), new PrintWriter(out), new PrintWriter(new StringWriter()),
        Mkctl.args(TestPki.shared().admin(), f.cp.server(), "-n", f.namespace, "logs", "-f", "talker")));
    // Lines keep arriving on the open stream: one that was not yet written when it started.
    int seen = Integer.parseInt(tail.out().strip().substring("line-".length()));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("line-" + (seen + 4) + "\n"));
    assertThat(follow).isNotDone();
    f.client.delete(Resources.PODS, f.namespace, "talker");
    assertThat(follow.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join()).isZero();
  }

  @Test
  @Timeout(180)
  void anExecWhoseClientGoesAwayIsKilledInTheContainer() throws Exception {
    f.create(KubeletFixture.pod("exec-gone", "Always", sh("main", "exec sleep 3600")));
    f.await("exec-gone", Duration.ofSeconds(60), KubeletFixture::running);
    String container = f.containerIds(false).stream()
        .filter(id -> uncheckedDocker("top", id).contains("sleep 3600"))
        .findFirst().orElseThrow();

    Context.CancellableContext client = Context.current().withCancellation();
    AtomicReference<Throwable> ended = new AtomicReference<>();
    client.run(() -> f.client.async().podExec(PodExecRequest.newBuilder().setNamespace(f.namespace).setName("exec-gone")
        .addAllCommand(List.of("sleep", "3599")).build(), new StreamObserver<ExecOutput>() {
          @Override
          public void onNext(ExecOutput value) {}

          @Override
          public void onError(Throwable t) {
            ended.set(t);
          }

          @Override
          public void onCompleted() {
            ended.set(new IllegalStateException("the exec completed"));
          }
        }));
    Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> KubeletFixture.docker("top", container).contains("sleep 3599"));

    client.cancel(null); // mkctl interrupted, or its connection dropped
    Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> !KubeletFixture.docker("top", container).contains("sleep 3599"));
    assertThat(KubeletFixture.docker("top", container)).contains("sleep 3600"); // the container itself runs on
    assertThat(ended.get()).isInstanceOf(StatusRuntimeException.class);
  }

  private static String uncheckedDocker(String... args) {
    try {
      return KubeletFixture.docker(args);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
