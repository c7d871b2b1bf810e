package io.minik8s.apiserver.authz.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Pod;
import io.minik8s.apiserver.auth.UserInfo;
import io.minik8s.apiserver.authz.Attributes;
import io.minik8s.apiserver.authz.Decision;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a kubelet may do by the Node authorizer alone (NodeRestriction narrows its writes further). */
class NodeAuthorizerTest {
  private static final UserInfo NODE1 = new UserInfo("system:node:node-1", List.of("system:nodes"));
  private static final Map<String, String> BOUND = Map.of("mine", "node-1", "theirs", "node-2");
  private final NodeAuthorizer authorizer = new NodeAuthorizer((ns, name) ->
      Optional.ofNullable(BOUND.get(name)).map(n -> {
        Pod.Builder p = Pod.newBuilder();
        p.getSpecBuilder().setNodeName(n);
        return p.build();
      }));

  @ParameterizedTest(name = "{0} {1} {2}/{3} {4}/{5} [{6}]: {7}")
  @CsvSource(delimiter = ',', value = {
      "get,    '', nodes,  '',      '', node-1, '', true",
      "get,    '', nodes,  '',      '', node-2, '', false",
      "list,   '', nodes,  '',      '', '',     '', false",
      "watch,  '', nodes,  '',      '', '',     metadata.name=node-1, true",
      "update, '', nodes,  status,  '', node-2, '', true",
      "delete, '', nodes,  '',      '', node-1, '', false",
      "get,    '', pods,   '',      ns, mine,   '', true",
      "get,    '', pods,   '',      ns, theirs, '', false",
      "get,    '', pods,   '',      ns, gone,   '', false",
      "list,   '', pods,   '',      '', '',     '', false",
      "list,   '', pods,   '',      '', '',     'spec.nodeName=node-1', true",
      "watch,  '', pods,   '',      '', '',     'status.phase=Running,spec.nodeName=node-1', true",
      "watch,  '', pods,   '',      '', '',     'spec.nodeName=node-2', false",
      "create, '', pods,   binding, ns, mine,   '', false",
      "create, '', pods,   exec,    ns, mine,   '', false",
      "update, '', pods,   status,  ns, theirs, '', true",
      "update, '', pods,   '',      ns, mine,   '', false",
      "list,   '', services, '',    '', '',     '', true",
      "create, '', services, '',    ns, '',     '', false",
      "create, '', events, '',      ns, '',     '', true",
      "get,    coordination.k8s.io, leases, '', kube-node-lease, node-1, '', true",
      "update, coordination.k8s.io, leases, '', kube-node-lease, node-2, '', false",
      "update, coordination.k8s.io, leases, '', kube-system,     node-1, '', false",
      "list,   coordination.k8s.io, leases, '', kube-node-lease, '',     '', false",
      "get,    '', secrets, '',     ns, s,      '', false",
  })
  void decides(String verb, String group, String resource, String sub, String ns, String name, String fields,
               boolean allowed) {
    Decision d = authorizer.authorize(new Attributes(NODE1, verb, group, resource, sub, ns, name, fields));
    assertThat(d.allowed()).as(d.toString()).isEqualTo(allowed);
    assertThat(d.kind()).as("the Node authorizer never denies outright: RBAC may still allow").isNotEqualTo(Decision.Kind.DENY);
  }

  @ParameterizedTest
  @CsvSource({"alice,system:nodes", "system:node:node-1,dev"})
  void hasNoOpinionOnOtherUsers(String user, String group) {
    Decision d = authorizer.authorize(new Attributes(new UserInfo(user, List.of(group)), "get", "", "nodes", "", "",
        "node-1", ""));
    assertThat(d.kind()).isEqualTo(Decision.Kind.NO_OPINION);
  }
}
