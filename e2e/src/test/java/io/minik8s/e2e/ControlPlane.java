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
    this.client = ApiClient.connect("127.0.0.1:" + apiServer.port());
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

  /** An api-server config on free ports against this etcd, with bookmarks every 500 ms. */
  public static ApiServer.Config config(EtcdCluster etcd) {
    return ApiServer.Config.defaults(etcd.endpoints())
        .withPorts(0, 0)
        .withBookmarkInterval(Duration.ofMillis(500));
  }

  public String server() {
    return "127.0.0.1:" + apiServer.port();
  }
}
