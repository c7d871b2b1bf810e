package io.minik8s.kubelet.pod;

import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Docker-links-style variables Kubernetes gives a container for every Service of its
 * namespace that exists when it starts ({@code enableServiceLinks}, default true):
 * {@code FRONTEND_SERVICE_HOST=10.96.0.50}, {@code FRONTEND_SERVICE_PORT=80},
 * {@code FRONTEND_PORT=tcp://10.96.0.50:80}, {@code FRONTEND_PORT_80_TCP_ADDR=10.96.0.50}, ...
 * Headless Services have no address and give none.
 *
 * <p>Mirrors Kubernetes' pkg/kubelet/envvars/envvars.go.
 */
public final class ServiceEnv {
  private ServiceEnv() {}

  public static List<String> of(List<Service> services) {
    List<String> env = new ArrayList<>();
    for (Service svc : services) {
      String ip = svc.getSpec().getClusterIp();
      if (ip.isEmpty() || ip.equals("None") || svc.getSpec().getPortsCount() == 0) {
        continue;
      }
      String prefix = svc.getMetadata().getName().toUpperCase(Locale.ROOT).replace('-', '_');
      ServicePort first = svc.getSpec().getPorts(0);
      env.add(prefix + "_SERVICE_HOST=" + ip);
      env.add(prefix + "_SERVICE_PORT=" + first.getPort());
      for (ServicePort p : svc.getSpec().getPortsList()) {
        if (!p.getName().isEmpty()) {
          env.add(prefix + "_SERVICE_PORT_" + p.getName().toUpperCase(Locale.ROOT).replace('-', '_') + "=" + p.getPort());
        }
      }
      env.add(prefix + "_PORT=" + url(first, ip));
      for (ServicePort p : svc.getSpec().getPortsList()) {
        String proto = (p.getProtocol().isEmpty() ? "TCP" : p.getProtocol()).toUpperCase(Locale.ROOT);
        String base = prefix + "_PORT_" + p.getPort() + "_" + proto;
        env.add(base + "=" + url(p, ip));
        env.add(base + "_PROTO=" + proto.toLowerCase(Locale.ROOT));
        env.add(base + "_PORT=" + p.getPort());
        env.add(base + "_ADDR=" + ip);
      }
    }
    return env;
  }

  private static String url(ServicePort p, String ip) {
    String proto = (p.getProtocol().isEmpty() ? "TCP" : p.getProtocol()).toLowerCase(Locale.ROOT);
    return proto + "://" + ip + ":" + p.getPort();
  }
}
