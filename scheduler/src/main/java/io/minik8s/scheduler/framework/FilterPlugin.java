package io.minik8s.scheduler.framework;

/**
 * Decides whether a pod may run on a node at all (Kubernetes' framework.FilterPlugin).
 *
 * <p>Mirrors Kubernetes' pkg/scheduler/framework/interface.go.
 */
public interface FilterPlugin {
  String name();

  Status filter(PodInfo pod, NodeInfo node);
}
