package io.minik8s.kubelet.prober;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.IntOrString;
import io.minik8s.api.Probe;
import io.minik8s.kubelet.container.ContainerRuntime;
import io.minik8s.api.HTTPGetAction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * Runs one probe once: exec in the container, an HTTP GET or a TCP connect to the pod's IP.
 *
 * <p>Mirrors Kubernetes' pkg/kubelet/prober/prober.go.
 */
final class Prober {
  record Outcome(boolean success, String message) {}

  private final ContainerRuntime runtime;
  private final HttpProber httpProber = new HttpProber();

  Prober(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  Outcome probe(Probe p, Container c, String containerId, String podIp) {
    Duration timeout = Duration.ofSeconds(Math.max(1, p.getTimeoutSeconds()));
    try {
      if (p.hasExec()) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OptionalInt code = runtime.exec(containerId, p.getExec().getCommandList(), out, out, timeout);
        if (code.isEmpty()) {
          return new Outcome(false, "command timed out");
        }
        return new Outcome(code.getAsInt() == 0, "command exited with " + code.getAsInt() + ": "
            + out.toString(StandardCharsets.UTF_8).strip());
      }
      if (p.hasHttpGet()) {
        HTTPGetAction http = p.getHttpGet();
        return httpProber.get(http, http.getHost().isEmpty() ? podIp : http.getHost(), port(http.getPort(), c), timeout);
      }
      if (p.hasTcpSocket()) {
        String host = p.getTcpSocket().getHost().isEmpty() ? podIp : p.getTcpSocket().getHost();
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(host, port(p.getTcpSocket().getPort(), c)), (int) timeout.toMillis());
          return new Outcome(true, "");
        }
      }
      return new Outcome(true, "no handler");
    } catch (IOException | RuntimeException e) {
      return new Outcome(false, e.toString());
    }
  }

  private static int port(IntOrString port, Container c) {
    if (port.hasStrVal()) {
      List<ContainerPort> named = c.getPortsList().stream().filter(p -> p.getName().equals(port.getStrVal())).toList();
      if (named.isEmpty()) {
        return Integer.parseInt(port.getStrVal());
      }
      return named.get(0).getContainerPort();
    }
    return port.getIntVal();
  }
}
