package io.minik8s.e2e;

import static io.minik8s.e2e.ControllerHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Lease;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Two controller-manager processes from the shaded jar, on an etcd and api-server of their own
 * (so no in-process controller interferes): one leads, the other waits; killing the leader hands
 * the lease over, and the ReplicaSet's pods are never created twice.
 */
class ControllerLeaderElectionTest {
  private static final Duration LEASE = Duration.ofSeconds(6);
  private static final Pattern STARTED = Pattern.compile("controller-manager: started as (\\S+)");

  record Manager(Process process, Path log) {
    Optional<String> identity() {
      try {
        Matcher m = STARTED.matcher(Files.readString(log));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  private static Path jar() throws Exception {
    try (var files = Files.list(Path.of("..", "controller-manager", "target"))) {
      return files.filter(p -> p.getFileName().toString().matches("controller-manager-.*-all\\.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("build controller-manager first: no shaded jar in controller-manager/target"));
    }
  }

  private static Manager launch(String server, int i) throws Exception {
    Path log = Files.createTempFile("controller-manager-" + i, ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx256m", "-jar", jar().toString(), "--api-servers", server,
        "--health-port", "0", "--leader-elect-lease-duration", LEASE.toSeconds() + "s",
        "--leader-elect-renew-deadline", "4s", "--leader-elect-retry-period", "1s",
        "--ca-file", TestPki.shared().ca().toString(),
        "--cert-file", TestPki.shared().controllerManager().certFile().toString(),
        "--key-file", TestPki.shared().controllerManager().keyFile().toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Manager(p, log);
  }

  private static String holder(ApiClient client) {
    return client.<Lease>find(Resources.LEASES, "kube-system", "kube-controller-manager")
        .map(l -> l.getSpec().getHolderIdentity()).orElse("");
  }

  private static List<Pod> podsOf(ApiClient client, String ns, ReplicaSet rs) {
    return client.<Pod>list(Resources.PODS, ns, "").stream()
        .filter(p -> p.getMetadata().getOwnerReferencesList().stream().anyMatch(r -> r.getUid().equals(rs.getMetadata().getUid())))
        .toList();
  }

  @Test
  void killingTheLeaderHandsOverAndNoPodIsCreatedTwice() throws Exception {
    List<Manager> managers = new ArrayList<>();
    try (EtcdCluster etcd = EtcdCluster.start(1);
         ApiServer api = ApiServer.start(ControlPlane.config(etcd));
         ApiClient client = ControlPlane.connect("127.0.0.1:" + api.port())) {
      String server = "127.0.0.1:" + api.port();
      managers.add(launch(server, 0));
      managers.add(launch(server, 1));
      for (Manager m : managers) {
        await().until(() -> m.identity().isPresent());
      }
      await().until(() -> !holder(client).isEmpty());
      String first = holder(client);
      Manager leader = managers.stream().filter(m -> m.identity().orElse("").equals(first)).findFirst().orElseThrow();
      Manager standby = managers.get(managers.indexOf(leader) == 0 ? 1 : 0);

      String ns = Objects.freshNamespace(client, "leader");
      ReplicaSet rs = client.create(Objects.replicaSet(ns, "counted", 3));
      await().until(() -> podsOf(client, ns, rs).size() == 3);

      Instant killed = Instant.now();
      leader.process().destroyForcibly().waitFor();
      client.delete(Resources.PODS, ns, podsOf(client, ns, rs).get(0).getMetadata().getName());
      await().until(() -> holder(client).equals(standby.identity().orElseThrow()));
      Duration handover = Duration.between(killed, Instant.now());
      // The standby may take the lease once it has seen it unchanged for a lease duration (plus a retry period).
      assertThat(handover).as("handover took " + handover).isLessThan(LEASE.plusSeconds(15));
      System.out.println("leader handover took " + handover);

      client.update(client.<ReplicaSet>get(Resources.REPLICA_SETS, ns, "counted").toBuilder()
          .setSpec(rs.getSpec().toBuilder().setReplicas(5)).build());
      await().until(() -> podsOf(client, ns, rs).size() == 5);
      // The new leader looks again after its creates: no second set of pods.
      ControllerHarness.resync(client, Resources.REPLICA_SETS, ns, "counted");
      List<Pod> pods = podsOf(client, ns, rs);
      assertThat(pods).as(Files.readString(standby.log())).hasSize(5);
      assertThat(pods.stream().map(p -> p.getMetadata().getName()).distinct()).hasSize(5);
      assertThat(standby.process().isAlive()).isTrue();
    } finally {
      for (Manager m : managers) {
        m.process().destroyForcibly().waitFor();
        Files.deleteIfExists(m.log());
      }
    }
  }
}
