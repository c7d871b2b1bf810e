package io.minik8s.mkctl;

import io.minik8s.client.pki.ClusterPki;
import io.minik8s.client.pki.PemFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mkctl pki}: the cluster's certificates, as {@code kubeadm init phase certs} and
 * {@code kubeadm kubeconfig user} make them. Works on files only; no api-server is needed.
 */
@Command(
    name = "pki",
    description = {"Create or renew the cluster's certificates (CAs, control plane, nodes, users) in a directory."},
    subcommands = {PkiCommand.Init.class, PkiCommand.NodeCert.class, PkiCommand.User.class},
    footerHeading = "%nExamples:%n",
    footer = {
        "  mkctl pki init --dir /etc/minik8s/pki --san 10.0.0.10 --server 10.0.0.10:6443",
        "  mkctl pki node node-1 --dir /etc/minik8s/pki --ip 10.0.0.11",
        "  mkctl pki user alice --group dev --dir /etc/minik8s/pki --server 10.0.0.10:6443"})
public final class PkiCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** The options every pki command has, and its run: report lines on stdout, a failure as {@code error:}. */
  abstract static class PkiStep implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The PKI directory (kubeadm's /etc/kubernetes/pki).")
    Path dir;

    abstract void run(ClusterPki pki, PrintWriter out) throws IOException;

    /** The global --server: the api-server address(es) a config file written here names. */
    String server() {
      String flag = ((Mkctl) spec.root().userObject()).server;
      return flag == null || flag.isBlank() ? ServerResolver.DEFAULT : flag.strip();
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try {
        run(new ClusterPki(dir, Clock.systemUTC(), out::println), out);
        out.flush();
        return 0;
      } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
        spec.commandLine().getErr().println("error: " + e.getMessage());
        spec.commandLine().getErr().flush();
        return 1;
      }
    }
  }

  @Command(name = "init", description = {
      "Create the cluster CA and the etcd CA (10 years) when missing, and every control-plane certificate (1 year):",
      "the api-server's serving certificate (localhost, 127.0.0.1, kubernetes[.default[.svc[.cluster.local]]], 10.96.0.1",
      "and each --san), its client certificates toward the kubelets and etcd, the controller-manager's, scheduler's,",
      "kube-proxy's and an admin's (system:masters), and etcd's server and peer certificates. Existing ones are kept;",
      "one within 90 days of its end or missing a --san is made again. Writes DIR/admin.conf for mkctl, naming --server."})
  static final class Init extends PkiStep {
    @Option(names = {"--san", "--tls-san"}, split = ",", paramLabel = "NAME",
        description = "A control-plane address or name the api-server and etcd are reached by (repeatable).")
    List<String> sans = new ArrayList<>();

    @Override
    void run(ClusterPki pki, PrintWriter out) throws IOException {
      pki.init(sans);
      writeConfig(dir.resolve("admin.conf"), server(), dir.resolve("ca.crt"), dir, ClusterPki.ADMIN);
      out.println("PKI ready in " + dir.toAbsolutePath() + "; mkctl config: " + dir.resolve("admin.conf").toAbsolutePath());
    }
  }

  @Command(name = "node", description = {
      "Create node NAME's certificate (DIR/node-NAME.crt and .key) when missing: its kubelet's identity",
      "(system:node:NAME in system:nodes) and the serving certificate of its logs/exec port for each --ip."})
  static final class NodeCert extends PkiStep {
    @Parameters(paramLabel = "NAME", description = "The node name (the kubelet's --node-name).")
    String name;

    @Option(names = "--ip", split = ",", paramLabel = "ADDRESS",
        description = "The node's addresses the api-server reaches its kubelet at (its --node-ip; repeatable).")
    List<String> ips = new ArrayList<>();

    @Override
    void run(ClusterPki pki, PrintWriter out) throws IOException {
      pki.node(name, ips);
    }
  }

  @Command(name = "user", description = {
      "Create a client certificate for user NAME in each --group (DIR/users/NAME.crt and .key), and its mkctl config",
      "DIR/users/NAME.conf (naming --server). What the user may do is up to authorization (system:masters: anything)."})
  static final class User extends PkiStep {
    @Parameters(paramLabel = "NAME", description = "The user name (the certificate's CN).")
    String name;

    @Option(names = "--group", split = ",", paramLabel = "GROUP", description = "A group (the certificate's O; repeatable).")
    List<String> groups = new ArrayList<>();

    @Override
    void run(ClusterPki pki, PrintWriter out) throws IOException {
      pki.user(name, groups);
      Path users = dir.resolve("users");
      writeConfig(users.resolve(name + ".conf"), server(), dir.resolve("ca.crt"), users, name);
      out.println("mkctl config for " + name + ": " + users.resolve(name + ".conf").toAbsolutePath());
    }
  }

  /** mkctl's config file (see {@link ServerResolver}), with absolute paths so that it can be used from anywhere. */
  static void writeConfig(Path file, String server, Path ca, Path certDir, String certName) throws IOException {
    String text = "# mkctl config, written by mkctl pki (use it: export " + ServerResolver.CONFIG_ENV_VAR + "=" + file.toAbsolutePath() + ")\n"
        + "server: " + server + "\n"
        + "certificate-authority: " + ca.toAbsolutePath() + "\n"
        + "client-certificate: " + PemFiles.certFile(certDir, certName).toAbsolutePath() + "\n"
        + "client-key: " + PemFiles.keyFile(certDir, certName).toAbsolutePath() + "\n";
    Files.writeString(file, text);
  }
}
