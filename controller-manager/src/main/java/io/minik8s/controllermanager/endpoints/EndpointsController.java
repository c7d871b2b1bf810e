package io.minik8s.controllermanager.endpoints;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.ObjectReference;
import io.minik8s.api.Pod;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.client.api.Resources;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.client.labels.Selector;
import io.minik8s.controllermanager.controller.BaseController;
import io.minik8s.controllermanager.controller.ControllerClient;
import io.minik8s.controllermanager.controller.Lister;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps one Endpoints object per Service with a selector: the IPs of the matching pods, ready
 * ones under {@code addresses} and the others under {@code notReadyAddresses}, with each Service
 * port's targetPort resolved per pod (a number, or the name of a container port). Pods that
 * already terminated or are being deleted are left out. A pod whose hostname is set and whose
 * subdomain is the Service's name carries that hostname, which gives StatefulSet pods their DNS
 * names. Services without a selector are left alone: their Endpoints are written by hand.
 *
 * <p>Mirrors Kubernetes' pkg/controller/endpoint/endpoints_controller.go.
 */
public final class EndpointsController extends BaseController {
  private final Lister<Service> services;
  private final Lister<Pod> pods;
  private final ControllerClient client;

  public EndpointsController(Lister<Service> services, Lister<Pod> pods, ControllerClient client, Clock clock) {
    super("endpoints", clock);
    this.services = services;
    this.pods = pods;
    this.client = client;
  }

  public ResourceEventHandler<Service> serviceHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Service s) {
        enqueue(key(s.getMetadata()));
      }

      @Override
      public void onUpdate(Service a, Service b) {
        enqueue(key(b.getMetadata()));
      }

      @Override
      public void onDelete(Service s) {
        enqueue(key(s.getMetadata()));
      }
    };
  }

  /** A pod change concerns every Service of its namespace that selects it, before or after. */
  public ResourceEventHandler<Pod> podHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p) {
        enqueueServicesOf(p, null);
      }

      @Override
      public void onUpdate(Pod a, Pod b) {
        enqueueServicesOf(b, a);
      }

      @Override
      public void onDelete(Pod p) {
        enqueueServicesOf(p, null);
      }
    };
  }

  private void enqueueServicesOf(Pod pod, Pod previous) {
    for (Service s : services.list(pod.getMetadata().getNamespace())) {
      if (s.getSpec().getSelectorCount() == 0) {
        continue;
      }
      Selector sel = Selector.fromMap(s.getSpec().getSelectorMap());
      if (sel.matches(pod.getMetadata().getLabelsMap())
          || (previous != null && sel.matches(previous.getMetadata().getLabelsMap()))) {
        enqueue(key(s.getMetadata()));
      }
    }
  }

  private static String key(ObjectMeta m) {
    return m.getNamespace() + "/" + m.getName();
  }

  @Override
  public void sync(String key) {
    String namespace = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    Optional<Service> svc = services.get(namespace, name);
    if (svc.isEmpty()) {
      // The Service went away: so do its Endpoints (Kubernetes' endpoints controller does the same).
      if (client.find(Resources.ENDPOINTS, namespace, name).isPresent()) {
        client.delete(Resources.ENDPOINTS, namespace, name, "", "");
      }
      return;
    }
    if (svc.get().getSpec().getSelectorCount() == 0) {
      return;
    }
    Endpoints desired = desired(svc.get(), pods.list(namespace));
    Optional<Endpoints> current = client.find(Resources.ENDPOINTS, namespace, name);
    if (current.isEmpty()) {
      client.create(desired);
    } else if (!current.get().getSubsetsList().equals(desired.getSubsetsList())
        || !current.get().getMetadata().getLabelsMap().equals(desired.getMetadata().getLabelsMap())) {
      client.update(desired.toBuilder().setMetadata(desired.getMetadata().toBuilder()
          .setResourceVersion(current.get().getMetadata().getResourceVersion())).build());
    }
  }

  /** The Endpoints a Service should have, given the pods of its namespace. */
  static Endpoints desired(Service svc, List<Pod> candidates) {
    Selector sel = Selector.fromMap(svc.getSpec().getSelectorMap());
    // One subset per distinct set of resolved ports, as Kubernetes groups them.
    Map<List<EndpointPort>, EndpointSubset.Builder> subsets = new LinkedHashMap<>();
    List<Pod> selected = new ArrayList<>(candidates.stream()
        .filter(p -> sel.matches(p.getMetadata().getLabelsMap()))
        .filter(p -> !p.getStatus().getPodIp().isEmpty())
        .filter(p -> p.getMetadata().getDeletionTimestamp().isEmpty())
        .filter(p -> !p.getStatus().getPhase().equals("Succeeded") && !p.getStatus().getPhase().equals("Failed"))
        .toList());
    selected.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    for (Pod pod : selected) {
      List<EndpointPort> ports = new ArrayList<>();
      for (ServicePort sp : svc.getSpec().getPortsList()) {
        int port = resolve(sp, pod);
        if (port > 0) {
          ports.add(EndpointPort.newBuilder().setName(sp.getName()).setPort(port)
              .setProtocol(sp.getProtocol().isEmpty() ? "TCP" : sp.getProtocol()).build());
        }
      }
      EndpointAddress.Builder addr = EndpointAddress.newBuilder()
          .setIp(pod.getStatus().getPodIp())
          .setNodeName(pod.getSpec().getNodeName())
          .setTargetRef(ObjectReference.newBuilder().setKind("Pod").setNamespace(pod.getMetadata().getNamespace())
              .setName(pod.getMetadata().getName()).setUid(pod.getMetadata().getUid()));
      if (!pod.getSpec().getHostname().isEmpty() && pod.getSpec().getSubdomain().equals(svc.getMetadata().getName())) {
        addr.setHostname(pod.getSpec().getHostname());
      }
      EndpointSubset.Builder subset = subsets.computeIfAbsent(ports, p -> EndpointSubset.newBuilder().addAllPorts(p));
      if (ready(pod) || svc.getSpec().getPublishNotReadyAddresses()) {
        subset.addAddresses(addr);
      } else {
        subset.addNotReadyAddresses(addr);
      }
    }
    Endpoints.Builder out = Endpoints.newBuilder().setApiVersion("v1").setKind("Endpoints")
        .setMetadata(ObjectMeta.newBuilder().setNamespace(svc.getMetadata().getNamespace())
            .setName(svc.getMetadata().getName()).putAllLabels(svc.getMetadata().getLabelsMap()));
    subsets.values().forEach(out::addSubsets);
    return out.build();
  }

  static boolean ready(Pod pod) {
    return pod.getStatus().getConditionsList().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  /** The Service port's targetPort on this pod: a number, or a container port found by name (0: none). */
  static int resolve(ServicePort sp, Pod pod) {
    if (!sp.hasTargetPort()) {
      return sp.getPort();
    }
    if (sp.getTargetPort().hasIntVal()) {
      return sp.getTargetPort().getIntVal();
    }
    String name = sp.getTargetPort().getStrVal();
    for (Container c : pod.getSpec().getContainersList()) {
      for (ContainerPort cp : c.getPortsList()) {
        if (cp.getName().equals(name)) {
          return cp.getContainerPort();
        }
      }
    }
    return 0;
  }
}
