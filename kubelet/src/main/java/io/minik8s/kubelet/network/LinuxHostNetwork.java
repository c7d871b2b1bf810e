package io.minik8s.kubelet.network;

import io.minik8s.client.host.ProcessRunner;
import io.minik8s.client.net.Ipv4Cidr;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link HostNetwork} on Linux with iproute2 and iptables, in this process's network namespace or
 * in a named one ({@code ip netns}), which is how the tests drive a real kernel without touching
 * the host's own tables. Routes are added with {@code proto 77}, which marks them as the agent's:
 * it removes only routes so marked, never one it did not make.
 */
public final class LinuxHostNetwork implements HostNetwork {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final String netns;

  /** In this process's own network namespace: what the kubelet uses. */
  public LinuxHostNetwork() {
    this("");
  }

  /** In the named network namespace ({@code /run/netns/NAME}); empty for this process's own. */
  public LinuxHostNetwork(String netns) {
    this.netns = netns;
  }

  @Override
  public List<Route> routes() {
    return run(ip("-4", "-o", "route", "show", "table", "main")).output().lines()
        .filter(l -> !l.isBlank()).map(Route::parse).toList();
  }

  @Override
  public List<String> addresses() {
    List<String> out = new ArrayList<>();
    // "3: eth0    inet 198.18.77.2/24 brd ... scope global eth0\ ..."
    for (String line : run(ip("-4", "-o", "addr", "show")).output().lines().toList()) {
      String[] words = line.strip().split("\\s+");
      for (int i = 0; i + 1 < words.length; i++) {
        if (words[i].equals("inet")) {
          out.add(words[i + 1].replaceFirst("/.*", ""));
        }
      }
    }
    return out;
  }

  @Override
  public void replaceRoute(Ipv4Cidr destination, String gateway) {
    check(ip("route", "replace", destination.toString(), "via", gateway, "proto", HostGwAgent.ROUTE_PROTOCOL));
  }

  @Override
  public void deleteRoute(Ipv4Cidr destination, String gateway) {
    List<String> cmd = ip("route", "del", destination.toString(), "via", gateway, "proto", HostGwAgent.ROUTE_PROTOCOL);
    ProcessRunner.Result r = run(cmd);
    if (r.exitCode() != 0 && !r.output().contains("No such process")) {
      throw failed(cmd, r);
    }
  }

  @Override
  public void ensureRule(IptablesRule rule) {
    if (run(iptables(rule, "-C")).exitCode() == 0) {
      return;
    }
    check(iptables(rule, rule.first() ? "-I" : "-A"));
  }

  @Override
  public void deleteRule(IptablesRule rule) {
    // A rule added twice (by hand) comes off twice; each round removes one, so this ends.
    while (run(iptables(rule, "-C")).exitCode() == 0) {
      check(iptables(rule, "-D"));
    }
  }

  private List<String> ip(String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    if (!netns.isEmpty()) {
      cmd.addAll(List.of("-n", netns));
    }
    cmd.addAll(List.of(args));
    return cmd;
  }

  private List<String> iptables(IptablesRule rule, String action) {
    List<String> cmd = new ArrayList<>();
    if (!netns.isEmpty()) {
      cmd.addAll(List.of("ip", "netns", "exec", netns));
    }
    cmd.addAll(List.of("iptables", "-w", "5", "-t", rule.table(), action, rule.chain()));
    cmd.addAll(rule.spec());
    return cmd;
  }

  private static void check(List<String> cmd) {
    ProcessRunner.Result r = run(cmd);
    if (r.exitCode() != 0) {
      throw failed(cmd, r);
    }
  }

  private static IllegalStateException failed(List<String> cmd, ProcessRunner.Result r) {
    return new IllegalStateException(String.join(" ", cmd) + " failed (exit " + r.exitCode() + "): "
        + (r.output().isEmpty() ? "no output" : r.output()));
  }

  private static ProcessRunner.Result run(List<String> cmd) {
    try {
      return ProcessRunner.run(cmd, TIMEOUT);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof IOException) {
        throw new IllegalStateException(e.getMessage() + " (install iproute2 and iptables)", e);
      }
      throw e;
    }
  }
}
