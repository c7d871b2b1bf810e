package io.minik8s.kubelet.network;

import java.util.List;

/**
 * One iptables rule: its table, its chain, whether it goes first in the chain ({@code -I}) or
 * last ({@code -A}), and its match and target ({@code -d 10.244.1.0/24 -j ACCEPT}).
 */
public record IptablesRule(String table, String chain, boolean first, List<String> spec) {
  public IptablesRule {
    spec = List.copyOf(spec);
  }

  @Override
  public String toString() {
    return "-t " + table + " " + chain + " " + String.join(" ", spec);
  }
}
