package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/minik8s up} / {@code down}: every component as a process on loopback, run from the
 * jars this build just packaged (never a Maven build inside the test), its state and logs in a
 * temporary folder, and a pod CIDR of its own.
 */
class LocalClusterTest extends OneHostClusterTest {
  static final String CIDR = "10.251.0.0/16";

  LocalClusterTest() throws Exception {}

  @Override
  Map<String, String> env() {
    return Map.of("MINIK8S_HOME", scratch.toString(), "MINIK8S_CLUSTER_CIDR", CIDR, "MINIK8S_NO_BUILD", "1");
  }

  @Override
  String[] upCommand() {
    return new String[] {"bin/minik8s", "up", "--nodes", "2"};
  }

  @Override
  String[] downCommand() {
    return new String[] {"bin/minik8s", "down"};
  }

  @Override
  List<Integer> etcdClientPorts() {
    return List.of(2379, 2389, 2399); // bin/minik8s: member i on 2379 + 10 i
  }

  @Override
  String clusterCidr() {
    return CIDR;
  }

  @Override
  void assertNothingOfItsOwnLeft() throws Exception {
    try (Stream<Path> files = Files.list(scratch)) {
      assertThat(files.filter(p -> p.toString().endsWith(".pid"))).as("pid files of running processes").isEmpty();
    }
    assertThat(scratch.resolve("etcd")).doesNotExist();
    try (Socket s = new Socket("127.0.0.1", 6443)) {
      Assertions.fail("something still listens on the api-server's port 6443");
    } catch (ConnectException expected) {
      // the api-server is gone
    }
  }

  /**
   * The controller-manager exits when it loses its leader Lease, as Kubernetes' does, and counts on
   * being started again: {@code bin/minik8s up} runs it under a restart loop, which writes the new
   * process's pid to the same pid file. Here it is stopped as a lost Lease stops it (it exits on
   * its own), and must come back healthy under a new pid.
   */
  @Test
  @Order(4)
  void aControllerManagerThatExitsIsStartedAgain() throws Exception {
    Path pidFile = scratch.resolve("controller-manager.pid");
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    ProcessHandle old = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("controller-manager " + pid + " not running"));
    old.destroy();
    old.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(120)).pollInterval(java.time.Duration.ofMillis(500)).ignoreExceptions()
        .untilAsserted(() -> {
          long now = Long.parseLong(Files.readString(pidFile).strip());
          assertThat(now).as("the pid in " + pidFile).isNotEqualTo(pid);
          assertThat(ProcessHandle.of(now).map(ProcessHandle::isAlive)).contains(true);
          java.net.HttpURLConnection c = (java.net.HttpURLConnection)
              java.net.URI.create("http://127.0.0.1:10257/healthz").toURL().openConnection();
          c.setConnectTimeout(1000);
          c.setReadTimeout(2000);
          assertThat(c.getResponseCode()).isEqualTo(200);
        });
    assertThat(Files.readString(scratch.resolve("logs/controller-manager.log")))
        .contains("controller-manager (pid " + pid + ") exited with status");
  }
}
