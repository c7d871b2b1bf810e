package io.minik8s.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real kubectl (1.32, the version the api-server reports) against an api-server's REST port over TLS,
 * through a kubeconfig of its own and a discovery cache of its own.
 */
final class Kubectl {
  static final Path BINARY = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.32");

  private final Path kubeconfig;
  private final Path cache;

  private Kubectl(Path kubeconfig, Path cache) {
    this.kubeconfig = kubeconfig;
    this.cache = cache;
  }

  /**
   * kubectl for https://127.0.0.1:port, checking the api-server's certificate against the test
   * PKI's CA, as the PKI's certificate {@code cert} (null: none) and with {@code token} (null:
   * none), in namespace.
   */
  static Kubectl of(int port, String cert, String token, String namespace) throws IOException {
    Path dir = Files.createTempDirectory("kubectl");
    Path pki = TestPki.shared().dir();
    List<String> user = new ArrayList<>();
    if (cert != null) {
      user.add("    client-certificate: " + pki.resolve(cert + ".crt"));
      user.add("    client-key: " + pki.resolve(cert + ".key"));
    }
    if (token != null) {
      user.add("    token: " + token);
    }
    Path config = dir.resolve("kubeconfig");
    Files.writeString(config, String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: minik8s",
        "  cluster:",
        "    server: https://127.0.0.1:" + port,
        "    certificate-authority: " + TestPki.shared().ca(),
        "users:",
        "- name: user",
        "  user:" + (user.isEmpty() ? " {}" : "\n" + String.join("\n", user)),
        "contexts:",
        "- name: minik8s",
        "  context:",
        "    cluster: minik8s",
        "    user: user",
        "    namespace: " + namespace,
        "current-context: minik8s",
        ""));
    return new Kubectl(config, dir.resolve("cache"));
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  HostCommand.Result run(String... args) throws IOException, InterruptedException {
    return HostCommand.run(java.util.Map.of(), Duration.ofSeconds(60), false, command(args).toArray(String[]::new));
  }

  /** A kubectl that runs until stopped (get -w), its output collected as it comes. */
  Background start(String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command(args)).redirectErrorStream(true);
    Process p = pb.start();
    StringBuffer out = new StringBuffer();
    Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          out.append(line).append('\n');
        }
      } catch (IOException e) {
        // the process ended
      }
    });
    return new Background(p, out);
  }

  record Background(Process process, StringBuffer out) implements AutoCloseable {
    String output() {
      return out.toString();
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor();
    }
  }

  private List<String> command(String... args) {
    List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", cache.toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }
}
