package io.minik8s.controllermanager.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.Endpoints;
import io.minik8s.api.IntOrString;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodStatus;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointsControllerTest {
  static Pod pod(String name, String ip, boolean ready, String app) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName(name).putLabels("app", app).setUid("uid-" + name))
        .setSpec(PodSpec.newBuilder().setNodeName("node-1").setHostname(name).setSubdomain("web")
            .addContainers(Container.newBuilder().setName("c")
                .addPorts(ContainerPort.newBuilder().setName("http").setContainerPort(8080))))
        .setStatus(PodStatus.newBuilder().setPhase("Running").setPodIp(ip)
            .addConditions(PodCondition.newBuilder().setType("Ready").setStatus(ready ? "True" : "False")))
        .build();
  }

  static Service service(String name, IntOrString targetPort) {
    return Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName(name))
        .setSpec(ServiceSpec.newBuilder().putSelector("app", "web")
            .addPorts(ServicePort.newBuilder().setName("http").setPort(80).setProtocol("TCP").setTargetPort(targetPort)))
        .build();
  }

  @Test
  void readyPodsAreAddressesAndOthersNotReadyAddressesWithTheNamedPortResolved() {
    Endpoints e = EndpointsController.desired(service("web", IntOrString.newBuilder().setStrVal("http").build()), List.of(
        pod("web-0", "10.244.0.5", true, "web"),
        pod("web-1", "10.244.1.7", false, "web"),
        pod("other", "10.244.1.9", true, "db"),
        pod("pending", "", false, "web")));
    assertThat(e.getSubsetsList()).hasSize(1);
    assertThat(e.getSubsets(0).getPorts(0).getPort()).isEqualTo(8080);
    assertThat(e.getSubsets(0).getAddressesList()).extracting(EndpointAddress::getIp).containsExactly("10.244.0.5");
    assertThat(e.getSubsets(0).getNotReadyAddressesList()).extracting(EndpointAddress::getIp).containsExactly("10.244.1.7");
    // hostname + subdomain equal to the Service: the StatefulSet pod's DNS name
    assertThat(e.getSubsets(0).getAddresses(0).getHostname()).isEqualTo("web-0");
    assertThat(e.getSubsets(0).getAddresses(0).getTargetRef().getName()).isEqualTo("web-0");
  }

  @Test
  void aPodBeingDeletedIsNoLongerAnEndpointAndHostnamesNeedTheMatchingSubdomain() {
    Pod leaving = pod("web-0", "10.244.0.5", true, "web");
    leaving = leaving.toBuilder().setMetadata(leaving.getMetadata().toBuilder().setDeletionTimestamp("2026-01-01T00:00:00Z")).build();
    Endpoints e = EndpointsController.desired(service("frontend", IntOrString.newBuilder().setIntVal(8080).build()),
        List.of(leaving, pod("web-1", "10.244.1.7", true, "web")));
    assertThat(e.getSubsets(0).getAddressesList()).extracting(EndpointAddress::getIp).containsExactly("10.244.1.7");
    assertThat(e.getSubsets(0).getAddresses(0).getHostname()).isEmpty(); // subdomain "web" is not "frontend"
  }
}
