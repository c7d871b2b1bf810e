package io.minik8s.kubeproxy;

/** Puts Service addresses on a local interface so that the proxy can listen on them. */
public interface VirtualIps {
  void add(String ip);

  void remove(String ip);

  /** For tests and hosts where the addresses are managed otherwise. */
  VirtualIps NONE = new VirtualIps() {
    @Override
    public void add(String ip) {}

    @Override
    public void remove(String ip) {}
  };
}
