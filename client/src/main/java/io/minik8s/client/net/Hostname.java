package io.minik8s.client.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This machine's host name, read the way Go's {@code os.Hostname} reads it (Kubernetes'
 * pkg/util/node GetHostname): from the kernel, with no name resolution.
 *
 * <p>{@code InetAddress.getLocalHost()} resolves the host name to an address first, and on a VM
 * whose name is in no resolver (a fresh cloud VM, a network namespace) it throws
 * {@code UnknownHostException}. A component only needs the name itself: the kubelet for the Node's
 * Hostname address, the controller-manager and scheduler for their leader-election identity.
 */
public final class Hostname {
  private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

  private Hostname() {}

  /** The kernel's host name, else {@code $HOSTNAME}, else {@code localhost}; never resolves anything. */
  public static String local() {
    return read(KERNEL_HOSTNAME, System.getenv("HOSTNAME"));
  }

  static String read(Path kernelHostname, String env) {
    try {
      String name = Files.readString(kernelHostname).strip();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (IOException | SecurityException e) {
      // not Linux, or /proc is not mounted: fall through
    }
    return env != null && !env.isBlank() ? env.strip() : "localhost";
  }
}
