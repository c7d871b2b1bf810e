package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.Binding;
import io.minik8s.api.ClusterRole;
import io.minik8s.api.Lease;
import io.minik8s.api.Node;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.ObjectReference;
import io.minik8s.api.Pod;
import io.minik8s.api.PolicyRule;
import io.minik8s.api.Role;
import io.minik8s.api.RoleBinding;
import io.minik8s.api.RoleRef;
import io.minik8s.api.Subject;
import io.minik8s.api.WatchRequest;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Authentication and authorization on a real api-server and etcd, started with a token file (so
 * --authorization-mode is Node,RBAC): the hostile table of issue #11, each refusal with
 * Kubernetes' words and nothing stored or changed, and the same users doing what they may.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AuthorizationTest {
  static final String RUN = Long.toString(System.currentTimeMillis() % 100000);
  static final String N1 = "authz-n1-" + RUN;
  static final String N2 = "authz-n2-" + RUN;
  static ApiServer server;
  static ApiClient admin;
  static ApiClient node1;
  static ApiClient viewer;
  static ApiClient editor;
  static ApiClient nsAdmin;
  static ApiClient nobody;
  static ApiClient scheduler;
  static String ns;

  @BeforeAll
  static void start() throws Exception {
    ControlPlane shared = ControlPlane.shared();
    Path tokens = Files.createTempFile("tokens", ".csv");
    Files.writeString(tokens, String.join("\n",
        "admin-token,admin,1,system:masters",
        "node1-token,system:node:" + N1 + ",2,system:nodes",
        "viewer-token,viewer,3",
        "editor-token,editor,4,\"devs,qa\"",
        "nsadmin-token,nsadmin,5",
        "nobody-token,alice,6",
        "scheduler-token,system:kube-scheduler,7"));
    server = ApiServer.start(ControlPlane.config(shared.etcd).toBuilder().tokenAuthFile(tokens).build());
    admin = client("admin-token");
    node1 = client("node1-token");
    viewer = client("viewer-token");
    editor = client("editor-token");
    nsAdmin = client("nsadmin-token");
    nobody = client("nobody-token");
    scheduler = client("scheduler-token");

    ns = Objects.freshNamespace(admin, "authz");
    admin.create(roleBinding(ns, "viewer-view", "ClusterRole", "view", "User", "viewer"));
    admin.create(roleBinding(ns, "devs-edit", "ClusterRole", "edit", "Group", "devs"));
    admin.create(roleBinding(ns, "nsadmin-admin", "ClusterRole", "admin", "User", "nsadmin"));
    for (String n : List.of(N1, N2)) {
      admin.create(Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(n)).build());
      admin.create(Lease.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("kube-node-lease").setName(n))
          .build());
    }
    for (String[] p : List.of(new String[] {"p1", N1}, new String[] {"p2", N2})) {
      admin.create(Objects.pod(ns, p[0], Map.of()));
      admin.blocking().bind(binding(ns, p[0], p[1]));
    }
    admin.create(Objects.pod(ns, "unbound", Map.of()));
    // The RBAC authorizer reads its watch caches: wait until the bindings are in effect.
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> viewer.list(Resources.PODS, ns, "").size() == 3 && editor.list(Resources.PODS, ns, "").size() == 3
            && nsAdmin.list(Resources.PODS, ns, "").size() == 3);
  }

  @AfterAll
  static void stop() {
    for (ApiClient c : List.of(node1, viewer, editor, nsAdmin, nobody, scheduler)) {
      c.close();
    }
    for (String n : List.of(N1, N2)) {
      admin.delete(Resources.NODES, "", n);
      admin.delete(Resources.LEASES, "kube-node-lease", n);
    }
    Objects.deleteNamespace(admin, ns);
    admin.close();
    server.close();
  }

  static ApiClient client(String token) {
    // TLS that checks the api-server's certificate, with no client certificate: the token alone says who calls
    return ApiClient.connect("127.0.0.1:" + server.port(), TestPki.shared().serverOnly(), token);
  }

  static Binding binding(String namespace, String pod, String node) {
    return Binding.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(namespace).setName(pod))
        .setTarget(ObjectReference.newBuilder().setKind("Node").setName(node)).build();
  }

  static RoleBinding roleBinding(String namespace, String name, String roleKind, String role, String subjectKind,
                                 String subject) {
    return RoleBinding.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(namespace).setName(name))
        .setRoleRef(RoleRef.newBuilder().setApiGroup(Resources.RBAC_GROUP).setKind(roleKind).setName(role))
        .addSubjects(Subject.newBuilder().setKind(subjectKind).setApiGroup(Resources.RBAC_GROUP).setName(subject))
        .build();
  }

  /** The call fails with this code and exactly this message. */
  static void refused(Runnable call, Status.Code code, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
      assertThat(e.getStatus().getDescription()).isEqualTo(message);
    });
  }

  static void forbidden(Runnable call, String message) {
    refused(call, Status.Code.PERMISSION_DENIED, message);
  }

  /** The stored object, as the admin reads it: compared before and after a refused write. */
  static Message stored(ResourceType type, String namespace, String name) {
    return admin.get(type, namespace, name);
  }

  /** Runs a refused write and checks the object is exactly as it was. */
  static void unchanged(ResourceType type, String namespace, String name, Runnable refusedWrite) {
    Message before = stored(type, namespace, name);
    refusedWrite.run();
    assertThat(stored(type, namespace, name)).as("nothing changed").isEqualTo(before);
  }

  // ------------------------------------------------------------------ authentication

  @Test
  void aCallWithoutATokenOrWithAWrongOneIsUnauthorized() {
    try (ApiClient anonymous = ApiClient.connect("127.0.0.1:" + server.port(), TestPki.shared().serverOnly());
         ApiClient wrong = client("not-a-token")) {
      for (ApiClient c : List.of(anonymous, wrong)) {
        refused(() -> c.list(Resources.PODS, ns, ""), Status.Code.UNAUTHENTICATED, "Unauthorized");
        refused(() -> c.create(Objects.pod(ns, "anon", Map.of())), Status.Code.UNAUTHENTICATED, "Unauthorized");
        refused(() -> c.blocking().watch(WatchRequest.newBuilder().setResource("pods").build()).hasNext(),
            Status.Code.UNAUTHENTICATED, "Unauthorized");
      }
    }
    assertThat(admin.find(Resources.PODS, ns, "anon")).as("nothing stored").isEmpty();
  }

  @Test
  void anAuthenticatedUserWithoutRolesMayDoNothing() {
    forbidden(() -> nobody.list(Resources.PODS, ns, ""),
        "pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"" + ns + "\"");
    forbidden(() -> nobody.get(Resources.NODES, "", N1),
        "nodes \"" + N1 + "\" is forbidden: User \"alice\" cannot get resource \"nodes\" in API group \"\" at the cluster scope");
    forbidden(() -> nobody.blocking().watch(WatchRequest.newBuilder().setResource("pods").setNamespace(ns).build())
            .hasNext(),
        "pods is forbidden: User \"alice\" cannot watch resource \"pods\" in API group \"\" in the namespace \"" + ns + "\"");
  }

  // ------------------------------------------------------------------ the kubelet of node-1

  @Test
  void theKubeletOfNode1CannotUpdateNode2() {
    String msg = "nodes \"" + N2 + "\" is forbidden: node \"" + N1 + "\" is not allowed to modify node \"" + N2 + "\"";
    unchanged(Resources.NODES, "", N2, () -> {
      Node n2 = (Node) stored(Resources.NODES, "", N2);
      forbidden(() -> node1.update(n2.toBuilder().setMetadata(n2.getMetadata().toBuilder().putLabels("taken", "yes"))
          .build()), msg);
      Node.Builder ready = n2.toBuilder();
      ready.getStatusBuilder().addConditionsBuilder().setType("Ready").setStatus("False");
      forbidden(() -> node1.updateStatus(ready.build()), msg);
    });
    forbidden(() -> node1.delete(Resources.NODES, "", N2), "nodes \"" + N2 + "\" is forbidden: User \"system:node:"
        + N1 + "\" cannot delete resource \"nodes\" in API group \"\" at the cluster scope");
    forbidden(() -> node1.create(Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(N2 + "-x")).build()),
        "nodes \"" + N2 + "-x\" is forbidden: node \"" + N1 + "\" is not allowed to modify node \"" + N2 + "-x\"");
    assertThat(admin.find(Resources.NODES, "", N2 + "-x")).isEmpty();
  }

  @Test
  void theKubeletOfNode1CannotDeleteOrWriteTheStatusOfNode2sPods() {
    unchanged(Resources.PODS, ns, "p2", () -> {
      forbidden(() -> node1.delete(Resources.PODS, ns, "p2"), "pods \"p2\" is forbidden: node \"" + N1
          + "\" can only delete pods with spec.nodeName set to itself");
      Pod p2 = (Pod) stored(Resources.PODS, ns, "p2");
      forbidden(() -> node1.updateStatus(p2.toBuilder().setStatus(p2.getStatus().toBuilder().setPhase("Failed")).build()),
          "pods \"p2\" is forbidden: node \"" + N1 + "\" can only update pod status for pods with spec.nodeName set to itself");
    });
  }

  @Test
  void theKubeletOfNode1CannotReadAPodBoundElsewhereNorListEveryPod() {
    forbidden(() -> node1.get(Resources.PODS, ns, "p2"), "pods \"p2\" is forbidden: User \"system:node:" + N1
        + "\" cannot get resource \"pods\" in API group \"\" in the namespace \"" + ns
        + "\": no relationship found between node '" + N1 + "' and this object");
    forbidden(() -> node1.listRaw(Resources.PODS, "", "", ""), "pods is forbidden: User \"system:node:" + N1
        + "\" cannot list resource \"pods\" in API group \"\" at the cluster scope: "
        + "can only list/watch pods with spec.nodeName field selector");
    forbidden(() -> node1.listRaw(Resources.PODS, "", "", "spec.nodeName=" + N2), "pods is forbidden: User \"system:node:"
        + N1 + "\" cannot list resource \"pods\" in API group \"\" at the cluster scope: "
        + "can only list/watch pods with spec.nodeName field selector");
    forbidden(() -> node1.get(Resources.NODES, "", N2), "nodes \"" + N2 + "\" is forbidden: User \"system:node:" + N1
        + "\" cannot get resource \"nodes\" in API group \"\" at the cluster scope: node '" + N1 + "' cannot read '"
        + N2 + "', only its own Node object");
  }

  @Test
  void theKubeletOfNode1CannotBindPodsNorCreateThem() {
    unchanged(Resources.PODS, ns, "unbound", () -> forbidden(() -> node1.blocking().bind(binding(ns, "unbound", N1)),
        "pods \"unbound\" is forbidden: User \"system:node:" + N1 + "\" cannot create resource \"pods/binding\" in API "
            + "group \"\" in the namespace \"" + ns + "\""));
    forbidden(() -> node1.create(Objects.pod(ns, "static", Map.of())), "pods is forbidden: User \"system:node:" + N1
        + "\" cannot create resource \"pods\" in API group \"\" in the namespace \"" + ns + "\"");
    assertThat(admin.find(Resources.PODS, ns, "static")).isEmpty();
  }

  @Test
  void theKubeletOfNode1CannotTouchNode2sLease() {
    unchanged(Resources.LEASES, "kube-node-lease", N2, () -> {
      Lease l = (Lease) stored(Resources.LEASES, "kube-node-lease", N2);
      forbidden(() -> node1.update(l.toBuilder().setSpec(l.getSpec().toBuilder().setHolderIdentity(N1)).build()),
          "leases.coordination.k8s.io \"" + N2 + "\" is forbidden: User \"system:node:" + N1 + "\" cannot update "
              + "resource \"leases\" in API group \"coordination.k8s.io\" in the namespace \"kube-node-lease\": "
              + "can only access node lease with the same name as the requesting node");
    });
  }

  @Test
  void theKubeletOfNode1RunsItsOwnNodeAndPods() {
    Node mine = node1.get(Resources.NODES, "", N1);
    Node.Builder status = mine.toBuilder();
    status.getStatusBuilder().addConditionsBuilder().setType("Ready").setStatus("True");
    assertThat(node1.<Node>updateStatus(status.build()).getStatus().getConditions(0).getStatus()).isEqualTo("True");

    assertThat(node1.listRaw(Resources.PODS, "", "", "spec.nodeName=" + N1).getItemsList())
        .extracting(o -> KubeObjects.meta(o).getName()).containsExactly("p1");
    // its pod-network agent routes every node's pod CIDR: it lists and watches all Nodes (system:minik8s:pod-network)
    assertThat(node1.<Node>list(Resources.NODES, "", "")).extracting(n -> n.getMetadata().getName()).contains(N1, N2);
    Pod p1 = node1.get(Resources.PODS, ns, "p1");
    node1.updateStatus(p1.toBuilder().setStatus(p1.getStatus().toBuilder().setPhase("Running")).build());
    assertThat(admin.<Pod>get(Resources.PODS, ns, "p1").getStatus().getPhase()).isEqualTo("Running");
    assertThat(node1.list(Resources.SERVICES, "", "")).as("services, for the pods' environment").isNotNull();
    Lease lease = node1.get(Resources.LEASES, "kube-node-lease", N1);
    node1.update(lease.toBuilder().setSpec(lease.getSpec().toBuilder().setHolderIdentity(N1)).build());

    admin.create(Objects.pod(ns, "p1-gone", Map.of()));
    admin.blocking().bind(binding(ns, "p1-gone", N1));
    node1.delete(Resources.PODS, ns, "p1-gone");
    assertThat(admin.<Pod>get(Resources.PODS, ns, "p1-gone").getMetadata().getDeletionTimestamp())
        .as("a graceful deletion by its own kubelet").isNotEmpty();
  }

  // ------------------------------------------------------------------ RBAC roles

  @Test
  void aViewUserReadsButCannotCreatePods() {
    assertThat(viewer.list(Resources.PODS, ns, "")).hasSize((int) admin.list(Resources.PODS, ns, "").size());
    forbidden(() -> viewer.create(Objects.pod(ns, "by-viewer", Map.of())),
        "pods is forbidden: User \"viewer\" cannot create resource \"pods\" in API group \"\" in the namespace \"" + ns + "\"");
    assertThat(admin.find(Resources.PODS, ns, "by-viewer")).as("nothing stored").isEmpty();
    unchanged(Resources.PODS, ns, "unbound", () -> forbidden(() -> viewer.delete(Resources.PODS, ns, "unbound"),
        "pods \"unbound\" is forbidden: User \"viewer\" cannot delete resource \"pods\" in API group \"\" in the namespace \""
            + ns + "\""));
    forbidden(() -> viewer.list(Resources.PODS, "kube-system", ""), "pods is forbidden: User \"viewer\" cannot list "
        + "resource \"pods\" in API group \"\" in the namespace \"kube-system\"");
  }

  @Test
  void anEditUserCreatesPodsButCannotBindClusterAdmin() {
    Pod created = editor.create(Objects.pod(ns, "by-editor", Map.of()));
    assertThat(created.getMetadata().getUid()).isNotEmpty();
    forbidden(() -> editor.create(roleBinding(ns, "take-over", "ClusterRole", "cluster-admin", "User", "editor")),
        "rolebindings.rbac.authorization.k8s.io is forbidden: User \"editor\" cannot create resource \"rolebindings\" in "
            + "API group \"rbac.authorization.k8s.io\" in the namespace \"" + ns + "\"");
    assertThat(admin.find(Resources.ROLE_BINDINGS, ns, "take-over")).as("nothing stored").isEmpty();
  }

  @Test
  void aNamespaceAdminMayBindEditButNotGrantWhatItDoesNotHold() {
    admin.create(roleBinding(ns, "qa-view", "ClusterRole", "view", "Group", "qa"));
    RoleBinding ok = nsAdmin.create(roleBinding(ns, "helper-edit", "ClusterRole", "edit", "User", "helper"));
    assertThat(ok.getRoleRef().getName()).isEqualTo("edit");

    String escalation = "user \"nsadmin\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions "
        + "not currently held:\n{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}";
    String clusterAdmin = escalation + "\n{NonResourceURLs:[\"*\"], Verbs:[\"*\"]}";
    forbidden(() -> nsAdmin.create(roleBinding(ns, "take-over", "ClusterRole", "cluster-admin", "User", "nsadmin")),
        "rolebindings.rbac.authorization.k8s.io \"take-over\" is forbidden: " + clusterAdmin);
    assertThat(admin.find(Resources.ROLE_BINDINGS, ns, "take-over")).isEmpty();
    forbidden(() -> nsAdmin.create(Role.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName("all"))
            .addRules(PolicyRule.newBuilder().addVerbs("*").addApiGroups("*").addResources("*")).build()),
        "roles.rbac.authorization.k8s.io \"all\" is forbidden: " + escalation);
    assertThat(admin.find(Resources.ROLES, ns, "all")).isEmpty();
    // changing an existing binding into a grant of cluster-admin is refused the same way
    RoleBinding qa = admin.get(Resources.ROLE_BINDINGS, ns, "qa-view");
    unchanged(Resources.ROLE_BINDINGS, ns, "qa-view", () -> forbidden(() -> nsAdmin.update(qa.toBuilder()
            .setRoleRef(qa.getRoleRef().toBuilder().setName("cluster-admin")).build()),
        "rolebindings.rbac.authorization.k8s.io \"qa-view\" is forbidden: " + clusterAdmin));
    forbidden(() -> nsAdmin.create(ClusterRole.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("mine-" + RUN))
            .build()), "clusterroles.rbac.authorization.k8s.io is forbidden: User \"nsadmin\" cannot create resource "
            + "\"clusterroles\" in API group \"rbac.authorization.k8s.io\" at the cluster scope");
  }

  @Test
  void aGrantTakesEffectAndARevocationToo() {
    String other = Objects.freshNamespace(admin, "authz-grant");
    Supplier<Boolean> canList = () -> {
      try {
        viewer.list(Resources.PODS, other, "");
        return true;
      } catch (StatusRuntimeException e) {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        return false;
      }
    };
    assertThat(canList.get()).isFalse();
    admin.create(roleBinding(other, "viewer-view", "ClusterRole", "view", "User", "viewer"));
    await().atMost(Duration.ofSeconds(10)).until(canList::get);
    admin.delete(Resources.ROLE_BINDINGS, other, "viewer-view");
    await().atMost(Duration.ofSeconds(10)).until(() -> !canList.get());
    Objects.deleteNamespace(admin, other);
  }

  @Test
  void theSchedulerBindsButCannotDeleteNodes() {
    admin.create(Objects.pod(ns, "to-schedule", Map.of()));
    scheduler.blocking().bind(binding(ns, "to-schedule", N2));
    assertThat(admin.<Pod>get(Resources.PODS, ns, "to-schedule").getSpec().getNodeName()).isEqualTo(N2);
    forbidden(() -> scheduler.delete(Resources.NODES, "", N2), "nodes \"" + N2 + "\" is forbidden: User "
        + "\"system:kube-scheduler\" cannot delete resource \"nodes\" in API group \"\" at the cluster scope");
    forbidden(() -> scheduler.list(Resources.ROLE_BINDINGS, ns, ""), "rolebindings.rbac.authorization.k8s.io is "
        + "forbidden: User \"system:kube-scheduler\" cannot list resource \"rolebindings\" in API group "
        + "\"rbac.authorization.k8s.io\" in the namespace \"" + ns + "\"");
  }

  // ------------------------------------------------------------------ mkctl auth can-i

  @Test
  void mkctlAuthCanIAnswersForOneselfAndAsAnotherUser() {
    String addr = "127.0.0.1:" + server.port();
    Mkctl.Result yes = Mkctl.runWithToken("viewer-token", addr, "auth", "can-i", "list", "pods", "-n", ns);
    assertThat(yes.out()).as(yes.toString()).isEqualTo("yes\n");
    assertThat(yes.exitCode()).isZero();
    Mkctl.Result no = Mkctl.runWithToken("viewer-token", addr, "auth", "can-i", "create", "pods", "-n", ns);
    assertThat(no.out()).as(no.toString()).isEqualTo("no\n");
    assertThat(no.exitCode()).isEqualTo(1);

    Mkctl.Result asEditor = Mkctl.runWithToken("admin-token", addr, "auth", "can-i", "create", "deployments.apps",
        "-n", ns, "--as", "someone", "--as-group", "devs");
    assertThat(asEditor.out()).as(asEditor.toString()).isEqualTo("yes\n");
    Mkctl.Result asNode = Mkctl.runWithToken("admin-token", addr, "auth", "can-i", "get", "pods/p2", "-n", ns,
        "--as", "system:node:" + N1, "--as-group", "system:nodes");
    assertThat(asNode.out()).as(asNode.toString())
        .isEqualTo("no - no relationship found between node '" + N1 + "' and this object\n");

    // asking about another user needs permission to: a view user has none
    Mkctl.Result refused = Mkctl.runWithToken("viewer-token", addr, "auth", "can-i", "get", "pods", "--as", "admin");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("Error from server (Forbidden): subjectaccessreviews.authorization.k8s.io is "
        + "forbidden: User \"viewer\" cannot create resource \"subjectaccessreviews\" in API group "
        + "\"authorization.k8s.io\" at the cluster scope");
    Mkctl.Result noToken = Mkctl.runWithToken(null, addr, "get", "pods", "-n", ns);
    assertThat(noToken.err()).as(noToken.toString()).contains("error: You must be logged in to the server (Unauthorized)");
  }

  /** The example of Kubernetes' RBAC documentation, as written there, applied with mkctl and then in force. */
  @Test
  void kubernetesRbacManifestsApplyUnchanged() throws Exception {
    Path file = Files.createTempFile("rbac", ".yaml");
    Files.writeString(file, """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          namespace: NS
          name: pod-reader
        rules:
        - apiGroups: [""] # "" indicates the core API group
          resources: ["pods"]
          verbs: ["get", "watch", "list"]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        # This role binding allows "jane" to read pods in the "NS" namespace.
        kind: RoleBinding
        metadata:
          name: read-pods
          namespace: NS
        subjects:
        - kind: User
          name: jane # "name" is case sensitive
          apiGroup: rbac.authorization.k8s.io
        roleRef:
          kind: Role #this must be Role or ClusterRole
          name: pod-reader
          apiGroup: rbac.authorization.k8s.io
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: secret-reader-RUN
        rules:
        - apiGroups: [""]
          resources: ["secrets"]
          verbs: ["get", "watch", "list"]
        - nonResourceURLs: ["/healthz", "/healthz/*"]
          verbs: ["get"]
        """.replace("NS", ns).replace("RUN", RUN));
    String addr = "127.0.0.1:" + server.port();
    Mkctl.Result applied = Mkctl.runWithToken("admin-token", addr, "apply", "-f", file.toString());
    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    assertThat(applied.out()).contains("role.rbac.authorization.k8s.io/pod-reader created",
        "rolebinding.rbac.authorization.k8s.io/read-pods created",
        "clusterrole.rbac.authorization.k8s.io/secret-reader-" + RUN + " created");
    await().atMost(Duration.ofSeconds(10)).until(() -> Mkctl.runWithToken("admin-token", addr, "auth", "can-i",
        "list", "pods", "-n", ns, "--as", "jane").out().equals("yes\n"));
    assertThat(Mkctl.runWithToken("admin-token", addr, "auth", "can-i", "delete", "pods", "-n", ns, "--as", "jane")
        .out()).isEqualTo("no\n");
    admin.delete(Resources.CLUSTER_ROLES, "", "secret-reader-" + RUN);
  }
}
