package io.minik8s.e2e;

import io.minik8s.apiserver.ApiServer;
import io.minik8s.client.ApiClient;
import java.time.Duration;

/**
 * One etcd cluster and one api-server shared by every test of this JVM (starting etcd costs
 * seconds; tests isolate themselves in namespaces of their own). Stopped at JVM exit.
 */
public final class ControlPlane {
  private static ControlPlane shared;

  public final EtcdCluster etcd;
  public final ApiServer apiServer;
  public final ApiClient client;

  private ControlPlane(EtcdCluster etcd, ApiServer apiServer) {
    this.etcd = etcd;
    this.apiServer = apiServer;
    this.client = connect("127.0.0.1:" + apiServer.port());
  }

  public static synchronized ControlPlane shared() {
    if (shared == null) {
      try {
        EtcdCluster etcd = EtcdCluster.start(3);
        ApiServer api = ApiServer.start(config(etcd));
        shared = new ControlPlane(etcd, api);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          shared.client.close();
          shared.apiServer.close();
          try {
            shared.etcd.close();
          } catch (Exception e) {
            // best effort at exit
          }
        }));
      } catch (Exception e) {
        throw new IllegalStateException("could not start the control plane: " + e.getMessage(), e);
      }
    }
    return shared;
  }

  /**
   * An api-server config on free ports against this etcd, with bookmarks every 500 ms, serving
   * mutual TLS with the test PKI and reaching the kubelets with its kubelet-client certificate.
   */
  public static ApiServer.Config config(EtcdCluster etcd) {
    return ApiServer.Config.builder(etcd.endpoints())
        .ports(0, 0)
        .bookmarkInterval(Duration.ofMillis(500))
        .tls(TestPki.shared().apiServer())
        .kubeletClientTls(TestPki.shared().kubeletClient())
        .build();
  }

  /** A client of these api-servers acting as the cluster admin (system:masters), over mutual TLS. */
  public static ApiClient connect(String servers) {
    return ApiClient.connect(servers, TestPki.shared().admin());
  }

  public String server() {
    return "127.0.0.1:" + apiServer.port();
  }
}
