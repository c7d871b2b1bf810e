package io.minik8s.e2e;

import static io.minik8s.e2e.KubeletFixture.sh;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Container;
import io.minik8s.api.EmptyDirVolumeSource;
import io.minik8s.api.Lease;
import io.minik8s.api.Node;
import io.minik8s.api.Pod;
import io.minik8s.api.Volume;
import io.minik8s.api.VolumeMount;
import io.minik8s.client.api.Resources;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A node registers itself; a pod's containers share one IP, localhost and an emptyDir; pods get distinct IPs. */
class KubeletPodNetworkTest {
  static KubeletFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new KubeletFixture("kl-net").start();
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  @Test
  void registersTheNodeWithCapacityAddressesAndALease() {
    Node node = f.client.get(Resources.NODES, "", f.node);
    assertThat(node.getMetadata().getLabelsMap()).containsEntry("kubernetes.io/hostname", f.node)
        .containsEntry("kubernetes.io/os", "linux");
    assertThat(node.getStatus().getCapacityMap()).containsKeys("cpu", "memory").containsEntry("pods", "110");
    assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("docker://");
    assertThat(node.getStatus().getAddressesList()).anyMatch(a -> a.getType().equals("InternalIP"));
    assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(f.kubelet.port());
    assertThat(node.getStatus().getConditionsList())
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    Lease lease = f.client.get(Resources.LEASES, "kube-node-lease", f.node);
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(f.node);
  }

  @Test
  void containersOfAPodShareIpLocalhostAndEmptyDir() throws Exception {
    Container web = Container.newBuilder(sh("web",
            "echo hello-from-web > /www/index.html; echo shared > /data/from-web; exec httpd -f -p 8080 -h /www"))
        .addVolumeMounts(VolumeMount.newBuilder().setName("data").setMountPath("/data")).build();
    Container client = Container.newBuilder(sh("client",
            "while true; do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc 127.0.0.1 8080 > /data/fetched 2>&1; sleep 1; done"))
        .addVolumeMounts(VolumeMount.newBuilder().setName("data").setMountPath("/data")).build();
    Pod pod = KubeletFixture.pod("pair", "Always", web, client).toBuilder()
        .setSpec(KubeletFixture.pod("pair", "Always", web, client).getSpec().toBuilder()
            .addVolumes(Volume.newBuilder().setName("data").setEmptyDir(EmptyDirVolumeSource.getDefaultInstance())))
        .build();
    f.create(pod);
    f.create(KubeletFixture.pod("other", "Always", sh("main", "exec sleep 3600")));
    Pod pair = f.await("pair", Duration.ofSeconds(90), KubeletFixture::running);
    Pod other = f.await("other", Duration.ofSeconds(90), KubeletFixture::running);

    String ip = pair.getStatus().getPodIp();
    assertThat(ip).isNotEmpty();
    assertThat(other.getStatus().getPodIp()).isNotEmpty().isNotEqualTo(ip);
    assertThat(pair.getStatus().getConditionsList()).anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    String webId = KubeletFixture.status(pair, "web").getContainerId().replace("docker://", "");
    String clientId = KubeletFixture.status(pair, "client").getContainerId().replace("docker://", "");
    // Both containers see the same interface address: the pause container's.
    assertThat(KubeletFixture.docker("exec", webId, "ip", "-4", "addr")).contains(ip);
    assertThat(KubeletFixture.docker("exec", clientId, "ip", "-4", "addr")).contains(ip);
    // client reached web on localhost, and wrote what it got into the shared emptyDir.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(KubeletFixture.docker("exec", webId, "cat", "/data/fetched")).contains("hello-from-web"));
    assertThat(KubeletFixture.docker("exec", clientId, "cat", "/data/from-web")).contains("shared");
  }

  /**
   * Two nodes on this host with pod CIDRs in the cluster CIDR: a pod sees a pod of the other node
   * come from that pod's own IP, not masqueraded to a bridge gateway (the pod bridges do not
   * masquerade; the kubelet masquerades only what leaves the cluster CIDR), as flannel's host-gw
   * keeps pod IPs across hosts.
   */
  @Test
  void aPodOfAnotherNodeSeesTheClientPodsOwnIp() throws Exception {
    try (KubeletFixture a = new KubeletFixture("kl-nat-a").withPodCidr("10.249.81.0/24", "10.249.0.0/16").start();
         KubeletFixture b = new KubeletFixture("kl-nat-b").withPodCidr("10.249.82.0/24", "10.249.0.0/16").start()) {
      // busybox httpd gives a CGI script the peer's address in REMOTE_ADDR.
      b.create(KubeletFixture.pod("server", "Always", sh("web", "mkdir -p /www/cgi-bin; "
          + "printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho $REMOTE_ADDR\\n' > /www/cgi-bin/ip; "
          + "chmod +x /www/cgi-bin/ip; exec httpd -f -p 8080 -h /www")));
      String serverIp = b.await("server", Duration.ofSeconds(90), KubeletFixture::running).getStatus().getPodIp();
      a.create(KubeletFixture.pod("client", "Always", sh("client", "while true; do wget -qO- http://" + serverIp
          + ":8080/cgi-bin/ip > /tmp/seen.new 2>&1 && mv /tmp/seen.new /tmp/seen; sleep 1; done")));
      Pod client = a.await("client", Duration.ofSeconds(90), KubeletFixture::running);
      String clientIp = client.getStatus().getPodIp();
      assertThat(clientIp).startsWith("10.249.81.");
      assertThat(serverIp).startsWith("10.249.82.");
      String id = KubeletFixture.status(client, "client").getContainerId().replace("docker://", "");
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .until(() -> !KubeletFixture.docker("exec", id, "cat", "/tmp/seen").contains("No such file"));
      assertThat(KubeletFixture.docker("exec", id, "cat", "/tmp/seen").strip()).as("the server saw the client pod's IP")
          .isEqualTo("[::ffff:" + clientIp + "]");
    }
  }

  @Test
  void aPodNetworkRemovedByHandComesBackAndPodsStartOnIt() throws Exception {
    try (KubeletFixture g = new KubeletFixture("kl-netgone").start()) {
      String network = g.config().networkName();
      assertThat(KubeletFixture.docker("network", "rm", network).strip()).isEqualTo(network);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() ->
          KubeletFixture.docker("network", "ls", "-q", "--filter", "name=^" + network + "$").strip().length() > 0);
      g.create(KubeletFixture.pod("after", "Always", sh("main", "exec sleep 3600")));
      Pod after = g.await("after", Duration.ofSeconds(90), KubeletFixture::running);
      assertThat(after.getStatus().getPodIp()).isNotEmpty();
    }
  }

  /**
   * A kubelet that waits for its pod CIDR has registered its Node, but reports it not Ready (the
   * network plugin is not ready) until the CIDR comes and the pod network exists on it; a node
   * that said Ready before it had a network was a race every whole-cluster test could lose.
   */
  @Test
  void aNodeWaitingForItsPodCidrIsNotReadyUntilItsNetworkExists() throws Exception {
    try (KubeletFixture g = new KubeletFixture("kl-cidr").withPodCidr()) {
      java.util.concurrent.CompletableFuture<KubeletFixture> started =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
              return g.start();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      java.util.Optional<Node> registered = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
          .until(() -> f.client.<Node>find(Resources.NODES, "", g.node),
              n -> n.isPresent() && n.get().getStatus().getConditionsCount() > 0);
      Node waiting = registered.get();
      assertThat(waiting.getSpec().getPodCidr()).isEmpty();
      assertThat(waiting.getStatus().getConditionsList()).anyMatch(c -> c.getType().equals("Ready")
          && c.getStatus().equals("False") && c.getMessage().contains("NetworkPluginNotReady"));
      assertThat(started).isNotDone();

      String cidr = "10.249.77.0/24";   // what the controller-manager's IPAM would write
      f.client.update(waiting.toBuilder().setSpec(waiting.getSpec().toBuilder().setPodCidr(cidr).addPodCidrs(cidr)).build());
      started.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(g.kubelet.podSubnet()).isEqualTo(cidr);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(f.client.<Node>get(Resources.NODES, "", g.node).getStatus().getConditionsList())
              .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")));
    }
  }
}
