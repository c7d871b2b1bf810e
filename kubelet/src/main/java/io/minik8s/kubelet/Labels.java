package io.minik8s.kubelet;

/**
 * The labels the kubelet puts on every container it creates. They are how a restarted kubelet
 * finds and adopts its containers, and how several kubelets share one Docker engine: each
 * manages only the containers labelled with its node name.
 */
public final class Labels {
  public static final String NODE = "io.minik8s.node";
  public static final String POD_UID = "io.kubernetes.pod.uid";
  public static final String POD_NAME = "io.kubernetes.pod.name";
  public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
  public static final String CONTAINER_NAME = "io.kubernetes.container.name";
  public static final String CONTAINER_TYPE = "io.minik8s.container.type";
  public static final String RESTART_COUNT = "io.kubernetes.container.restartCount";
  public static final String TERMINATION_GRACE = "io.kubernetes.pod.terminationGracePeriod";

  public static final String SANDBOX = "sandbox";
  public static final String INIT = "init";
  public static final String APP = "app";
  /** The container name of a pod's sandbox, as Kubernetes names it. */
  public static final String SANDBOX_NAME = "POD";

  private Labels() {}
}
