package io.minik8s.kubelet.container;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets traffic from outside a node's bridge reach its pods. Docker drops forwarded packets into a
 * bridge network unless they answer a connection from inside it (and isolates its bridges from
 * each other), while the design wants any pod to reach any pod IP: pods of another node's bridge
 * on the same host, and pods of other hosts routed here by the pod CIDR (host-gw). One rule in
 * Docker's {@code DOCKER-USER} chain, which it evaluates first, accepts what is bound for the pod
 * subnet. The rule stays when the kubelet stops, as the pods and their network do.
 */
public final class PodNetworkFirewall {
  private static final Logger log = LoggerFactory.getLogger(PodNetworkFirewall.class);

  private PodNetworkFirewall() {}

  /** The iptables arguments of the rule for a subnet, after the action (-C, -I or -D). */
  static List<String> rule(String subnet) {
    return List.of("DOCKER-USER", "-d", subnet, "-j", "ACCEPT");
  }

  /** Adds the rule unless it is there; false (and a logged reason) when iptables cannot. */
  public static boolean acceptForwardedTo(String subnet) {
    if (subnet == null || subnet.isEmpty()) {
      return false;
    }
    try {
      if (iptables("-C", subnet) == 0) {
        return true;
      }
      if (iptables("-I", subnet) == 0) {
        log.info("accepting forwarded traffic to pod subnet {} (iptables DOCKER-USER)", subnet);
        return true;
      }
      log.warn("could not add the DOCKER-USER rule for pod subnet {}: pods of other nodes cannot reach this node's pods", subnet);
    } catch (IOException e) {
      log.warn("no iptables ({}): pods of other nodes cannot reach this node's pods", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** Takes the rule off (for tearing a node down for good). */
  public static void forget(String subnet) throws IOException, InterruptedException {
    if (subnet == null || subnet.isEmpty()) {
      return;
    }
    // A rule added twice (by hand) comes off twice; each round removes one, so this ends.
    while (iptables("-C", subnet) == 0 && iptables("-D", subnet) == 0) {
      log.info("took off the DOCKER-USER rule for pod subnet {}", subnet);
    }
  }

  private static int iptables(String action, String subnet) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("iptables", "-w", "5", action));
    command.addAll(rule(subnet));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
