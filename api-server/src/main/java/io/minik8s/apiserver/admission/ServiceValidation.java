package io.minik8s.apiserver.admission;

import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Services: type, ports, cluster IPs, traffic policies. */
final class ServiceValidation {
  private static final FieldPath SPEC = FieldPath.root("spec");
  private static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
  private static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");
  private static final int MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;

  private ServiceValidation() {}

  static void service(List<FieldError> errs, Service svc) {
    ServiceSpec spec = svc.getSpec();
    String type = spec.getType();
    Checks.oneOf(errs, type, SPEC.child("type"), TYPES);
    if (type.equals("ExternalName")) {
      externalName(errs, spec);
    } else if (spec.getPortsCount() == 0 && !isHeadless(spec)) {
      // a headless service may exist only for DNS; any other needs something to forward
      errs.add(SPEC.child("ports").required(""));
    }
    ports(errs, spec);
    MetaValidation.labels(errs, spec.getSelectorMap(), SPEC.child("selector"));
    clusterIps(errs, spec);
    for (int i = 0; i < spec.getExternalIpsCount(); i++) {
      if (!IpAddresses.isIp(spec.getExternalIps(i))) {
        errs.add(SPEC.child("externalIPs").index(i).invalid(spec.getExternalIps(i), IpAddresses.IP_MSG));
      }
    }
    sessionAffinity(errs, spec);
    trafficPolicies(errs, spec);
    if (!spec.getIpFamilyPolicy().isEmpty()) {
      Checks.oneOf(errs, spec.getIpFamilyPolicy(), SPEC.child("ipFamilyPolicy"),
          List.of("PreferDualStack", "RequireDualStack", "SingleStack"));
    }
    for (int i = 0; i < spec.getIpFamiliesCount(); i++) {
      Checks.oneOf(errs, spec.getIpFamilies(i), SPEC.child("ipFamilies").index(i), List.of("IPv4", "IPv6"));
    }
  }

  static boolean isHeadless(ServiceSpec spec) {
    return spec.getClusterIp().equals("None")
        || (spec.getClusterIpsCount() == 1 && spec.getClusterIps(0).equals("None"));
  }

  /** An assigned cluster IP is what clients and kube-proxy rules already use. */
  static void update(List<FieldError> errs, Service svc, Service old) {
    String ip = svc.getSpec().getClusterIp();
    String oldIp = old.getSpec().getClusterIp();
    boolean externalName = svc.getSpec().getType().equals("ExternalName") || old.getSpec().getType().equals("ExternalName");
    // an empty clusterIP in the update means "keep": the storage layer carries the old one over
    if (!externalName && !oldIp.isEmpty() && !ip.isEmpty() && !ip.equals(oldIp)) {
      errs.add(SPEC.child("clusterIP").invalid(ip, Checks.IMMUTABLE));
    }
  }

  private static void externalName(List<FieldError> errs, ServiceSpec spec) {
    if (!spec.getClusterIp().isEmpty()) {
      errs.add(SPEC.child("clusterIP").forbidden("may not be set for ExternalName services"));
    }
    String name = spec.getExternalName();
    if (name.isEmpty()) {
      errs.add(SPEC.child("externalName").required(""));
    } else {
      String withoutDot = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
      Checks.format(errs, NameValidation.dns1123Subdomain(withoutDot), SPEC.child("externalName"), name);
    }
  }

  private static void ports(List<FieldError> errs, ServiceSpec spec) {
    FieldPath path = SPEC.child("ports");
    Set<String> names = new HashSet<>();
    Set<String> portKeys = new HashSet<>();
    Set<String> nodePortKeys = new HashSet<>();
    boolean nodePortsAllowed = spec.getType().equals("NodePort") || spec.getType().equals("LoadBalancer");
    for (int i = 0; i < spec.getPortsCount(); i++) {
      ServicePort port = spec.getPorts(i);
      FieldPath p = path.index(i);
      // with several ports, endpoints and SRV records tell them apart by name
      if (spec.getPortsCount() > 1 && port.getName().isEmpty()) {
        errs.add(p.child("name").required(""));
      } else if (!port.getName().isEmpty()) {
        Checks.format(errs, NameValidation.dns1123Label(port.getName()), p.child("name"), port.getName());
        if (!names.add(port.getName())) {
          errs.add(p.child("name").duplicate(port.getName()));
        }
      }
      NameValidation.portNumber(port.getPort()).forEach(m -> errs.add(p.child("port").invalid(port.getPort(), m)));
      Checks.requiredOneOf(errs, port.getProtocol(), p.child("protocol"), ContainerValidation.PROTOCOLS);
      Checks.portNumOrName(errs, port.getTargetPort(), p.child("targetPort"));
      if (!portKeys.add(port.getProtocol() + "/" + port.getPort())) {
        errs.add(p.duplicateRendered(goServicePort(port.getProtocol(), port.getPort()), ""));
      }
      if (port.getNodePort() != 0) {
        if (spec.getType().equals("ClusterIP")) {
          errs.add(p.child("nodePort").forbidden("may not be used when `type` is 'ClusterIP'"));
        } else if (nodePortsAllowed) {
          NameValidation.portNumber(port.getNodePort())
              .forEach(m -> errs.add(p.child("nodePort").invalid(port.getNodePort(), m)));
          if (!nodePortKeys.add(port.getProtocol() + "/" + port.getNodePort())) {
            errs.add(p.child("nodePort").duplicate(port.getNodePort()));
          }
        }
      }
    }
  }

  /** The key Kubernetes reports a duplicate port under: a ServicePort with only protocol and port set. */
  private static String goServicePort(String protocol, int port) {
    return "core.ServicePort{Name:\"\", Protocol:" + GoValues.quote(protocol) + ", AppProtocol:(*string)(nil), Port:"
        + port + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}";
  }

  private static void clusterIps(List<FieldError> errs, ServiceSpec spec) {
    FieldPath ips = SPEC.child("clusterIPs");
    for (int i = 0; i < spec.getClusterIpsCount(); i++) {
      String ip = spec.getClusterIps(i);
      if (i == 0 && ip.equals("None")) {
        if (spec.getClusterIpsCount() > 1) {
          errs.add(ips.invalidRendered(GoValues.stringList(spec.getClusterIpsList()), "'None' must be the first and only value"));
        }
      } else if (!IpAddresses.isIp(ip)) {
        errs.add(ips.index(i).invalid(ip, IpAddresses.IP_MSG));
      }
    }
    if (spec.getClusterIpsCount() > 0 && !spec.getClusterIp().equals(spec.getClusterIps(0))) {
      errs.add(ips.invalidRendered(GoValues.stringList(spec.getClusterIpsList()), "first value must match `clusterIP`"));
    }
    boolean nodePortOrLb = spec.getType().equals("NodePort") || spec.getType().equals("LoadBalancer");
    if (nodePortOrLb && isHeadless(spec)) {
      // kube-proxy has no virtual IP to open the node port for
      errs.add(ips.index(0).invalid("None", "may not be set to 'None' for " + spec.getType() + " services"));
    }
  }

  private static void sessionAffinity(List<FieldError> errs, ServiceSpec spec) {
    FieldPath path = SPEC.child("sessionAffinity");
    Checks.requiredOneOf(errs, spec.getSessionAffinity(), path, List.of("ClientIP", "None"));
    var clientIp = spec.getSessionAffinityConfig().getClientIp();
    if (spec.getSessionAffinity().equals("ClientIP") && clientIp.hasTimeoutSeconds()) {
      int timeout = clientIp.getTimeoutSeconds();
      if (timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS) {
        errs.add(SPEC.child("sessionAffinityConfig").child("clientIP").child("timeoutSeconds").invalid(timeout,
            "must be greater than 0 and less than " + MAX_CLIENT_IP_AFFINITY_SECONDS));
      }
    }
  }

  static boolean externallyAccessible(ServiceSpec spec) {
    return spec.getType().equals("NodePort") || spec.getType().equals("LoadBalancer")
        || (spec.getType().equals("ClusterIP") && spec.getExternalIpsCount() > 0);
  }

  private static void trafficPolicies(List<FieldError> errs, ServiceSpec spec) {
    FieldPath external = SPEC.child("externalTrafficPolicy");
    if (externallyAccessible(spec)) {
      Checks.requiredOneOf(errs, spec.getExternalTrafficPolicy(), external, TRAFFIC_POLICIES);
    } else if (!spec.getExternalTrafficPolicy().isEmpty()) {
      errs.add(external.invalid(spec.getExternalTrafficPolicy(), "may only be set for externally-accessible services"));
    }
    if (!spec.getType().equals("ExternalName")) {
      Checks.requiredOneOf(errs, spec.getInternalTrafficPolicy(), SPEC.child("internalTrafficPolicy"), TRAFFIC_POLICIES);
    }
  }
}
