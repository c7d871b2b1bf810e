package io.minik8s.kubelet.prober;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.IntOrString;
import io.minik8s.api.Probe;
import io.minik8s.kubelet.container.ContainerRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/** Runs one probe once: exec in the container, an HTTP GET or a TCP connect to the pod's IP. */
final class Prober {
  record Outcome(boolean success, String message) {}

  private final ContainerRuntime runtime;

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
        String host = p.getHttpGet().getHost().isEmpty() ? podIp : p.getHttpGet().getHost();
        int port = port(p.getHttpGet().getPort(), c);
        String path = p.getHttpGet().getPath().isEmpty() ? "/" : p.getHttpGet().getPath();
        return httpGet(host, port, path, timeout);
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

  private static Outcome httpGet(String host, int port, String path, Duration timeout) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: " + host + ":" + port
          + "\r\nUser-Agent: kube-probe/minik8s\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int ch;
      while ((ch = in.read()) != -1 && ch != '\n') {
        line.append((char) ch);
      }
      String[] parts = line.toString().split(" ");
      int code = parts.length > 1 ? Integer.parseInt(parts[1].strip()) : 0;
      return new Outcome(code >= 200 && code < 400, "HTTP probe failed with statuscode: " + code);
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
