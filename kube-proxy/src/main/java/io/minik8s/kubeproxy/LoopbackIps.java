package io.minik8s.kubeproxy;

import io.minik8s.client.host.ProcessRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
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
    ProcessRunner.Result r;
    try {
      r = ProcessRunner.run(cmd, TIMEOUT);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof IOException) {
        throw new IllegalStateException(e.getMessage() + " (install iproute2)", e);
      }
      throw e;
    }
    if (r.exitCode() != 0 && Arrays.stream(harmless).noneMatch(r.output()::contains)) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + r.output());
    }
    log.debug("{}: {}", String.join(" ", cmd), r.output().isEmpty() ? "ok" : r.output());
  }
}
