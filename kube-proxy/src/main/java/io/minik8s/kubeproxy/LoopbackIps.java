package io.minik8s.kubeproxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds each ClusterIP as a /32 on {@code lo} with iproute2 (kube-proxy's ipvs mode uses a dummy
 * interface; these kernels lack the module, and a /32 on lo works the same: the host accepts the
 * address, and a container reaches it through its bridge's gateway). Adding an address that is
 * already there is fine: several node proxies on one host share them.
 */
public final class LoopbackIps implements VirtualIps {
  private static final Logger log = LoggerFactory.getLogger(LoopbackIps.class);
  private final String device;

  public LoopbackIps(String device) {
    this.device = device;
  }

  @Override
  public void add(String ip) {
    // Another node's proxy on this host may have added it first: iproute2 says "File exists" or
    // "Address already assigned" depending on its version.
    run(List.of("ip", "addr", "add", ip + "/32", "dev", device), "File exists", "already assigned");
  }

  @Override
  public void remove(String ip) {
    run(List.of("ip", "addr", "del", ip + "/32", "dev", device), "Cannot assign", "not found");
  }

  private static void run(List<String> cmd, String... harmless) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " timed out");
      }
      if (p.exitValue() != 0 && java.util.Arrays.stream(harmless).noneMatch(out::contains)) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
      log.debug("{}: {}", String.join(" ", cmd), out.isEmpty() ? "ok" : out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd.get(0) + " (install iproute2): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
