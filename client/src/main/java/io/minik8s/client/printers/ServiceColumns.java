package io.minik8s.client.printers;

import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.LoadBalancerIngress;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Tables of services and endpoints. */
public final class ServiceColumns {
  private ServiceColumns() {}

  /** {@code NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE}, and SELECTOR with -o wide. */
  public static KindColumns<Service> services() {
    return KindColumns.of(Service.class)
        .name()
        .column("TYPE", s -> type(s.getSpec()))
        .column("CLUSTER-IP", s -> clusterIp(s.getSpec()))
        .column("EXTERNAL-IP", ServiceColumns::externalIp)
        .column("PORT(S)", s -> ports(s.getSpec().getPortsList()))
        .age()
        .wide("SELECTOR", s -> Format.labels(s.getSpec().getSelectorMap()))
        .build();
  }

  /** {@code NAME ENDPOINTS AGE}: the first three ip:port pairs. */
  public static KindColumns<Endpoints> endpoints() {
    return KindColumns.of(Endpoints.class)
        .name()
        .column("ENDPOINTS", e -> endpointList(e.getSubsetsList()))
        .age()
        .build();
  }

  public static String type(ServiceSpec spec) {
    return spec.getType().isEmpty() ? "ClusterIP" : spec.getType();
  }

  /** The cluster IP, {@code None} for a headless service, {@code <none>} for an ExternalName one. */
  public static String clusterIp(ServiceSpec spec) {
    return Format.orNone(spec.getClusterIp());
  }

  public static String externalIp(Service s) {
    ServiceSpec spec = s.getSpec();
    List<String> external = new ArrayList<>(spec.getExternalIpsList());
    switch (type(spec)) {
      case "ExternalName":
        return Format.orNone(spec.getExternalName());
      case "LoadBalancer":
        for (LoadBalancerIngress in : s.getStatus().getLoadBalancer().getIngressList()) {
          external.add(in.getIp().isEmpty() ? in.getHostname() : in.getIp());
        }
        return external.isEmpty() ? "<pending>" : String.join(",", external);
      default:
        return Format.orNone(String.join(",", external));
    }
  }

  /** {@code 80/TCP}, {@code 80:30080/TCP}, comma-separated; {@code <none>} without ports. */
  public static String ports(List<ServicePort> ports) {
    if (ports.isEmpty()) {
      return Format.NONE;
    }
    return ports.stream().map(p -> {
      String proto = p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
      return p.getNodePort() > 0
          ? p.getPort() + ":" + p.getNodePort() + "/" + proto
          : p.getPort() + "/" + proto;
    }).collect(Collectors.joining(","));
  }

  /** Every ready address with every port of its subset, the first three shown. */
  public static String endpointList(List<EndpointSubset> subsets) {
    List<String> pairs = new ArrayList<>();
    for (EndpointSubset s : subsets) {
      for (EndpointAddress a : s.getAddressesList()) {
        if (s.getPortsCount() == 0) {
          pairs.add(a.getIp());
        }
        for (EndpointPort p : s.getPortsList()) {
          pairs.add(a.getIp() + ":" + p.getPort());
        }
      }
    }
    return Format.firstOf(pairs, 3);
  }
}
