package io.minik8s.controllermanager;

import io.minik8s.client.component.Durations;
import io.minik8s.client.pki.Credential;
import io.minik8s.client.pki.PemFiles;
import java.nio.file.Path;
import io.minik8s.client.component.LeaderElectionFlags;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import io.minik8s.client.component.ClientTlsFlags;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/controller-manager}: the flags, then {@link ControllerManager} until the process ends. */
@Command(
    name = "controller-manager",
    mixinStandardHelpOptions = true,
    version = "minik8s controller-manager 0.1.0",
    sortOptions = false,
    description = {
        "Runs the MiniK8s controllers in one leader-elected process: ReplicaSet, Deployment, StatefulSet, "
            + "Endpoints, namespace, garbage collection, node IPAM, node lifecycle, and the approval and signing "
            + "of kubelets' certificate requests (with --cluster-signing-*-file). A process that loses the lease exits.",
        ""})
public final class ControllerManagerMain implements Callable<Integer> {
  @Mixin
  ClientTlsFlags tls;

  @Option(names = "--api-servers", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "The api-server address(es); several mean failover.")
  String apiServers;

  @Mixin
  LeaderElectionFlags leaderElection;

  @Option(names = "--cluster-cidr", defaultValue = "10.244.0.0/16", paramLabel = "CIDR", description = "Pod CIDRs are cut from it. Default: 10.244.0.0/16.")
  String clusterCidr;

  @Option(names = "--node-cidr-mask-size", defaultValue = "24", paramLabel = "BITS", description = "Prefix length of each node's pod CIDR. Default: 24.")
  int nodeCidrMaskSize;

  @Option(names = "--node-monitor-grace-period", defaultValue = "40s", paramLabel = "DURATION",
      description = "A node whose Lease is not renewed this long gets Ready=Unknown. Default: 40s.")
  String nodeMonitorGracePeriod;

  @Option(names = "--node-monitor-period", defaultValue = "5s", paramLabel = "DURATION", description = "How often nodes are checked. Default: 5s.")
  String nodeMonitorPeriod;

  @Option(names = {"--default-unreachable-toleration-seconds", "--pod-eviction-timeout"}, defaultValue = "300",
      paramLabel = "SECONDS",
      description = "How long pods without their own toleration stay on an unreachable node. Default: 300.")
  String defaultTolerationSeconds;

  @Option(names = "--concurrent-replicaset-syncs", defaultValue = "5", paramLabel = "N",
      description = "ReplicaSets synced at once (workers). Default: 5.")
  int rsSyncs;

  @Option(names = "--concurrent-deployment-syncs", defaultValue = "5", paramLabel = "N",
      description = "Deployments synced at once. Default: 5.")
  int deploymentSyncs;

  @Option(names = "--concurrent-statefulset-syncs", defaultValue = "5", paramLabel = "N",
      description = "StatefulSets synced at once. Default: 5.")
  int statefulSetSyncs;

  @Option(names = "--concurrent-gc-syncs", defaultValue = "20", paramLabel = "N",
      description = "Garbage collector workers. Default: 20.")
  int gcSyncs;

  @Option(names = "--cluster-signing-cert-file", paramLabel = "FILE",
      description = "The cluster CA's certificate (PEM) that signs kubelets' certificate requests. With "
          + "--cluster-signing-key-file; without both, CertificateSigningRequests are not approved or signed.")
  Path clusterSigningCertFile;

  @Option(names = "--cluster-signing-key-file", paramLabel = "FILE",
      description = "The cluster CA's private key (PEM). It lives on the control plane only: joining nodes get "
          + "their certificates from the CertificateSigningRequests it signs, never the key.")
  Path clusterSigningKeyFile;

  @Option(names = "--health-port", defaultValue = "10257", paramLabel = "PORT", description = "/healthz, /readyz, /metrics. Default: 10257; 0 picks one.")
  int healthPort;

  @Override
  public Integer call() throws Exception {
    String tol = defaultTolerationSeconds.matches("\\d+") ? defaultTolerationSeconds
        : Long.toString(Durations.parse(defaultTolerationSeconds).toSeconds());
    ControllerManager.Options o = new ControllerManager.Options(apiServers, leaderElection.enabled(), leaderElection.config(),
        ControllerManager.Options.defaultIdentity(), clusterCidr, nodeCidrMaskSize, Durations.parse(nodeMonitorGracePeriod),
        Durations.parse(nodeMonitorPeriod), Long.parseLong(tol), rsSyncs, deploymentSyncs, statefulSetSyncs, gcSyncs,
        healthPort, () -> {
          // Leadership lost: another manager may act now, so this one must not do anything more.
          System.err.println("controller-manager: leader election lost");
          Runtime.getRuntime().halt(1);
        });
    if ((clusterSigningCertFile == null) != (clusterSigningKeyFile == null)) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--cluster-signing-cert-file and --cluster-signing-key-file go together");
    }
    Credential signingCa = clusterSigningCertFile == null ? null : new Credential(
        PemFiles.readCertificate(clusterSigningCertFile), PemFiles.readKey(clusterSigningKeyFile));
    ControllerManager cm = ControllerManager.start(o, tls.tls(), signingCa);
    Runtime.getRuntime().addShutdownHook(new Thread(cm::close));
    System.err.println("controller-manager: started as " + o.identity() + " (health on :" + cm.healthPort() + ")");
    new CountDownLatch(1).await();
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ControllerManagerMain()).execute(args));
  }
}
