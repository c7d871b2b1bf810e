package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.apiserver.storage.EtcdStore;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import io.minik8s.client.tls.ClientTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The api-server and etcd over mutual TLS, as every bring-up runs them: three real etcd members
 * that require a certificate of the etcd CA on their client and peer ports (so their Raft traffic
 * is TLS too), an api-server that shows its etcd client certificate (--etcd-cafile,
 * --etcd-certfile, --etcd-keyfile), and the clients etcd must refuse.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EtcdTlsTest {
  static EtcdCluster etcd;
  static Path pki;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.shared().dir();
    etcd = EtcdCluster.start(3); // TLS as every test's etcd; healthy: the members found each other over their TLS peer ports
  }

  @AfterAll
  static void stop() throws Exception {
    if (etcd != null) {
      etcd.close();
    }
  }

  static ClientTls apiServerEtcdClient() {
    return etcd.clientTls();
  }

  @Test
  void anApiServerWithItsEtcdClientCertificateStoresAndReadsObjects() throws Exception {
    ApiServer.Config config = ControlPlane.config(etcd); // with the etcd client certificate
    try (ApiServer server = ApiServer.start(config);
         ApiClient client = ControlPlane.connect("127.0.0.1:" + server.port())) {
      String name = "etcd-tls-" + System.nanoTime() % 100000;
      client.create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name)).build());
      assertThat(client.<Namespace>get(Resources.NAMESPACES, "", name).getMetadata().getName()).isEqualTo(name);
      try (EtcdStore direct = new EtcdStore(etcd.endpoints(), Duration.ofSeconds(5), apiServerEtcdClient())) {
        assertThat(direct.get(Resources.NAMESPACES.keyPrefix() + name)).as("stored in etcd, read back over TLS").isPresent();
      }
    }
  }

  @Test
  void etcdRefusesPlainTextNoCertificateAndACertificateOfTheClusterCa() {
    ClientTls clusterAdmin = TestPki.shared().admin(); // trusted by the api-server, not by etcd
    ClientTls wrongCa = new ClientTls(pki.resolve("etcd/ca.crt"), clusterAdmin.certFile(), clusterAdmin.keyFile());
    for (ClientTls refused : new ClientTls[] {ClientTls.plaintext(), ClientTls.serverOnly(pki.resolve("etcd/ca.crt")), wrongCa}) {
      try (EtcdStore store = new EtcdStore(etcd.endpoints(), Duration.ofSeconds(3), refused)) {
        assertThatThrownBy(store::currentRevision).as("etcd must not serve " + describe(refused))
            .isInstanceOf(RuntimeException.class);
      }
    }
    try (EtcdStore store = new EtcdStore(etcd.endpoints(), Duration.ofSeconds(10), apiServerEtcdClient())) {
      assertThat(store.currentRevision()).as("the same call with the api-server's certificate").isPositive();
    }
  }

  static String describe(ClientTls tls) {
    return tls.isPlaintext() ? "plain text" : tls.certificate().map(c -> "certificate " + c.getFileName()).orElse("TLS without a certificate");
  }
}
