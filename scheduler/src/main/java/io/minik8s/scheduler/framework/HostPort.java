package io.minik8s.scheduler.framework;

/** A host port a pod asks for: one per protocol and address, where 0.0.0.0 means every address. */
public record HostPort(String ip, String protocol, int port) {
  public HostPort {
    ip = ip == null || ip.isEmpty() ? "0.0.0.0" : ip;
    protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
  }

  /** Two uses of a port clash when protocol and port agree and either listens on every address. */
  public boolean conflictsWith(HostPort o) {
    return port == o.port && protocol.equals(o.protocol)
        && (ip.equals(o.ip) || ip.equals("0.0.0.0") || o.ip.equals("0.0.0.0"));
  }
}
