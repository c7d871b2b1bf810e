package io.minik8s.e2e;

import static io.minik8s.e2e.KubeletFixture.sh;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.client.api.Resources;
import io.minik8s.mkctl.Environment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
        "--server", f.cp.server(), "-n", f.namespace, "logs", "-f", "talker"));
    // Lines keep arriving on the open stream: one that was not yet written when it started.
    int seen = Integer.parseInt(tail.out().strip().substring("line-".length()));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("line-" + (seen + 4) + "\n"));
    assertThat(follow).isNotDone();
    f.client.delete(Resources.PODS, f.namespace, "talker");
    assertThat(follow.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join()).isZero();
  }
}
