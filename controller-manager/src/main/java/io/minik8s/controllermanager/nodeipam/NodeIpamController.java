package io.minik8s.controllermanager.nodeipam;

import io.minik8s.api.Node;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.controllermanager.controller.BaseController;
import io.minik8s.controllermanager.controller.ControllerClient;
import io.minik8s.controllermanager.controller.Lister;
import io.minik8s.controllermanager.controller.Recorder;
import java.time.Clock;
import java.util.Optional;

/**
 * Gives every Node a pod CIDR of its own (spec.podCIDR and podCIDRs), a /24 of --cluster-cidr,
 * never the same twice. Before handing any out it marks those the existing nodes already hold,
 * so a restarted controller-manager does not give a taken subnet again. Run with one worker:
 * allocation is serialized.
 *
 * <p>Mirrors Kubernetes' pkg/controller/nodeipam/ipam/range_allocator.go.
 */
public final class NodeIpamController extends BaseController {
  private final Lister<Node> nodes;
  private final ControllerClient client;
  private final Recorder recorder;
  private final CidrSet cidrs;

  public NodeIpamController(Lister<Node> nodes, ControllerClient client, Recorder recorder, Clock clock, CidrSet cidrs) {
    super("nodeipam", clock);
    this.nodes = nodes;
    this.client = client;
    this.recorder = recorder;
    this.cidrs = cidrs;
  }

  public ResourceEventHandler<Node> nodeHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node n) {
        enqueue(n.getMetadata().getName());
      }

      @Override
      public void onUpdate(Node old, Node n) {
        if (n.getSpec().getPodCidr().isEmpty()) {
          enqueue(n.getMetadata().getName());
        }
      }

      @Override
      public void onDelete(Node n) {
        // Free the subnet only if no other node holds it (a recreated node may carry it already).
        String cidr = n.getSpec().getPodCidr();
        if (!cidr.isEmpty() && nodes.list("").stream().noneMatch(o -> o.getSpec().getPodCidr().equals(cidr))) {
          cidrs.release(cidr);
        }
      }
    };
  }

  /** Recovers the subnets the existing nodes hold; called once the node cache is synced. */
  @Override
  public void beforeWorkers() {
    for (Node n : nodes.list("")) {
      if (!n.getSpec().getPodCidr().isEmpty()) {
        cidrs.occupy(n.getSpec().getPodCidr());
      }
    }
  }

  @Override
  public void sync(String name) {
    Optional<Node> found = nodes.get("", name);
    if (found.isEmpty()) {
      return;
    }
    Node node = found.get();
    if (!node.getSpec().getPodCidr().isEmpty()) {
      cidrs.occupy(node.getSpec().getPodCidr());
      return;
    }
    Optional<String> cidr = cidrs.allocateNext();
    if (cidr.isEmpty()) {
      recorder.event(node, Recorder.WARNING, "CIDRNotAvailable", "Node " + name + " status is now: CIDRNotAvailable");
      throw new IllegalStateException("no pod CIDR left for node " + name);
    }
    try {
      client.update(node.toBuilder().setSpec(node.getSpec().toBuilder()
          .setPodCidr(cidr.get()).clearPodCidrs().addPodCidrs(cidr.get())).build());
      recorder.event(node, Recorder.NORMAL, "CIDRAssignmentSucceeded", "Node " + name + " was given pod CIDR " + cidr.get());
    } catch (RuntimeException e) {
      cidrs.release(cidr.get());
      recorder.event(node, Recorder.WARNING, "CIDRAssignmentFailed", "Failed to assign a pod CIDR to node " + name);
      throw e;
    }
  }
}
