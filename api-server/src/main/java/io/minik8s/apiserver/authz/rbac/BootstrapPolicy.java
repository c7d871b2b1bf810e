package io.minik8s.apiserver.authz.rbac;

import io.minik8s.api.ClusterRole;
import io.minik8s.api.ClusterRoleBinding;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.PolicyRule;
import io.minik8s.api.RoleRef;
import io.minik8s.api.Subject;
import io.minik8s.apiserver.auth.UserInfo;
import io.minik8s.client.api.Resources;
import io.minik8s.client.bootstrap.BootstrapToken;
import java.util.ArrayList;
import java.util.List;

/**
 * The roles and bindings every cluster starts with (Kubernetes'
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go and controller_policy.go), trimmed to
 * the kinds this API serves. The user-facing roles: {@code cluster-admin} (everything; bound to
 * {@code system:masters}), {@code admin} (everything in a namespace, roles and bindings included),
 * {@code edit} (write workloads, not roles) and {@code view} (read, not write). Kubernetes builds
 * the last three by aggregation; here they are written out. The components' roles hold only what
 * each component does: the scheduler reads pods and nodes and binds; kube-proxy reads Services and
 * Endpoints; the controller-manager, which runs every controller as one user (Kubernetes without
 * --use-service-account-credentials), holds the union of the controllers' roles. None of them
 * may exec into pods, read logs, or write roles.
 */
public final class BootstrapPolicy {
  public static final String AUTOUPDATE = "rbac.authorization.kubernetes.io/autoupdate";
  static final List<String> READ = List.of("get", "list", "watch");
  static final List<String> WRITE = List.of("create", "delete", "deletecollection", "patch", "update");
  private static final String APPS = "apps";
  private static final String COORDINATION = "coordination.k8s.io";
  /** The role of the kubelets' pod-network agent (host-gw routes): MiniK8s's own, flannel's in Kubernetes. */
  public static final String POD_NETWORK = "system:minik8s:pod-network";

  /** Kubernetes' role of a joining kubelet: create CertificateSigningRequests and read them. */
  public static final String NODE_BOOTSTRAPPER = "system:node-bootstrapper";

  private BootstrapPolicy() {}

  public static List<ClusterRole> clusterRoles() {
    return List.of(
        role("cluster-admin",
            rule(List.of("*"), List.of("*"), List.of("*")),
            PolicyRule.newBuilder().addVerbs("*").addNonResourceUrls("*").build()),
        role("admin", concat(editRules(), List.of(
            rule(all(READ, WRITE), List.of(Resources.RBAC_GROUP), List.of("roles", "rolebindings")),
            rule(List.of("create"), List.of("authorization.k8s.io"), List.of("localsubjectaccessreviews"))))),
        role("edit", editRules()),
        role("view", viewRules()),
        role("system:basic-user",
            rule(List.of("create"), List.of("authorization.k8s.io"), List.of("selfsubjectaccessreviews"))),
        role("system:kube-scheduler",
            rule(List.of("create", "update", "patch"), List.of(""), List.of("events")),
            rule(List.of("create"), List.of(COORDINATION), List.of("leases")),
            named(rule(List.of("get", "update"), List.of(COORDINATION), List.of("leases")), "kube-scheduler"),
            rule(READ, List.of(""), List.of("nodes", "pods", "services", "persistentvolumeclaims", "namespaces")),
            rule(List.of("delete"), List.of(""), List.of("pods")),
            rule(List.of("create"), List.of(""), List.of("pods/binding", "bindings")),
            rule(List.of("patch", "update"), List.of(""), List.of("pods/status")),
            rule(READ, List.of(APPS), List.of("replicasets", "statefulsets"))),
        role("system:node-proxier",
            rule(List.of("list", "watch"), List.of(""), List.of("services", "endpoints")),
            rule(List.of("get"), List.of(""), List.of("nodes")),
            rule(List.of("create", "update", "patch"), List.of(""), List.of("events"))),
        role("system:kube-controller-manager", controllerManagerRules()),
        // The kubelet's pod-network agent routes every other node's pod CIDR, so it watches all Nodes,
        // as flannel's ClusterRole lets flannel do. The Node authorizer alone would give a kubelet only
        // its own Node; this grants list and watch, not get of another node by name.
        role(POD_NETWORK, rule(List.of("list", "watch"), List.of(""), List.of("nodes"))),
        // A joining kubelet (a bootstrap token) and a kubelet renewing its certificate ask for one
        // and read the answer; they cannot approve or sign (status is the controller-manager's).
        role(NODE_BOOTSTRAPPER,
            rule(List.of("create", "get", "list", "watch"), List.of(Resources.CERTIFICATES_GROUP),
                List.of("certificatesigningrequests"))));
  }

  public static List<ClusterRoleBinding> clusterRoleBindings() {
    return List.of(
        binding("cluster-admin", "cluster-admin", "Group", UserInfo.MASTERS),
        binding("system:basic-user", "system:basic-user", "Group", UserInfo.AUTHENTICATED),
        binding("system:kube-scheduler", "system:kube-scheduler", "User", "system:kube-scheduler"),
        binding("system:node-proxier", "system:node-proxier", "User", "system:kube-proxy"),
        binding("system:kube-controller-manager", "system:kube-controller-manager", "User",
            "system:kube-controller-manager"),
        binding(POD_NETWORK, POD_NETWORK, "Group", "system:nodes"),
        // kubeadm's kubeadm:kubelet-bootstrap and Kubernetes' system:node role's CSR rules
        binding("kubeadm:kubelet-bootstrap", NODE_BOOTSTRAPPER, "Group", BootstrapToken.GROUP),
        binding("system:minik8s:node-client-renewal", NODE_BOOTSTRAPPER, "Group", "system:nodes"));
  }

  private static List<PolicyRule> viewRules() {
    return List.of(
        rule(READ, List.of(""), List.of("pods", "pods/log", "pods/status", "services", "services/status", "endpoints",
            "persistentvolumeclaims", "persistentvolumeclaims/status", "events", "namespaces", "namespaces/status",
            "configmaps", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts")),
        rule(READ, List.of(APPS), List.of("deployments", "deployments/scale", "deployments/status", "replicasets",
            "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status",
            "controllerrevisions", "daemonsets")),
        rule(READ, List.of(COORDINATION), List.of("leases")));
  }

  private static List<PolicyRule> editRules() {
    return concat(viewRules(), List.of(
        rule(WRITE, List.of(""), List.of("pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy",
            "services", "services/proxy", "endpoints", "persistentvolumeclaims", "configmaps", "secrets",
            "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts")),
        rule(READ, List.of(""), List.of("secrets")),
        rule(List.of("create"), List.of(""), List.of("pods/eviction")),
        rule(WRITE, List.of(APPS), List.of("deployments", "deployments/scale", "deployments/rollback", "replicasets",
            "replicasets/scale", "statefulsets", "statefulsets/scale", "daemonsets")),
        rule(WRITE, List.of(COORDINATION), List.of("leases"))));
  }

  /**
   * The union of the controllers' roles: the garbage collector and the namespace controller read,
   * update and delete every kind; the workload controllers create pods, ReplicaSets and
   * ControllerRevisions; the endpoints, node IPAM and lifecycle controllers write their objects'
   * status; leader election writes its Lease.
   */
  private static List<PolicyRule> controllerManagerRules() {
    return List.of(
        rule(List.of("get", "list", "watch", "update", "patch", "delete", "deletecollection"), List.of("*"), List.of("*")),
        rule(List.of("create"), List.of(""), List.of("pods", "endpoints", "events", "persistentvolumeclaims")),
        rule(List.of("create"), List.of(APPS), List.of("replicasets", "controllerrevisions")),
        rule(List.of("create"), List.of(COORDINATION), List.of("leases")),
        rule(List.of("update", "patch"), List.of("", APPS), List.of("*/status")),
        rule(List.of("update", "patch"), List.of("", APPS), List.of("*/finalize")),
        rule(List.of("update", "patch"), List.of(Resources.CERTIFICATES_GROUP), List.of("certificatesigningrequests/status")));
  }

  private static ClusterRole role(String name, PolicyRule... rules) {
    return role(name, List.of(rules));
  }

  private static ClusterRole role(String name, List<PolicyRule> rules) {
    return ClusterRole.newBuilder().setMetadata(meta(name)).addAllRules(rules).build();
  }

  private static ClusterRoleBinding binding(String name, String role, String subjectKind, String subject) {
    return ClusterRoleBinding.newBuilder().setMetadata(meta(name))
        .setRoleRef(RoleRef.newBuilder().setApiGroup(Resources.RBAC_GROUP).setKind("ClusterRole").setName(role))
        .addSubjects(Subject.newBuilder().setKind(subjectKind).setApiGroup(Resources.RBAC_GROUP).setName(subject))
        .build();
  }

  private static ObjectMeta meta(String name) {
    return ObjectMeta.newBuilder().setName(name)
        .putLabels("kubernetes.io/bootstrapping", "rbac-defaults")
        .putAnnotations(AUTOUPDATE, "true").build();
  }

  static PolicyRule rule(List<String> verbs, List<String> groups, List<String> resources) {
    return PolicyRule.newBuilder().addAllVerbs(verbs).addAllApiGroups(groups).addAllResources(resources).build();
  }

  private static PolicyRule named(PolicyRule rule, String... names) {
    return rule.toBuilder().addAllResourceNames(List.of(names)).build();
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static List<String> all(List<String> a, List<String> b) {
    return concat(a, b);
  }
}
