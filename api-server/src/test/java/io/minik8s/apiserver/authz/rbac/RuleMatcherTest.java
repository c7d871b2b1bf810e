package io.minik8s.apiserver.authz.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.PolicyRule;
import io.minik8s.apiserver.auth.UserInfo;
import io.minik8s.apiserver.authz.Attributes;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One rule against one request, with Kubernetes' semantics of wildcards, subresources and names. */
class RuleMatcherTest {
  private static final UserInfo ALICE = new UserInfo("alice", List.of());

  /**
   * rule: verbs;groups;resources;names (lists split on '|', '-' for none);
   * request: verb, group, resource, subresource, name; and whether the rule allows it.
   */
  @ParameterizedTest(name = "{0} allows {1} {2}/{3}/{4} {5}: {6}")
  @CsvSource(delimiter = ',', nullValues = "~", value = {
      "get|list;'';pods;-,            get,    '',   pods,        '',      x,     true",
      "get|list;'';pods;-,            watch,  '',   pods,        '',      '',    false",
      "get;'';pods;-,                 get,    apps, pods,        '',      x,     false",
      "*;'';pods;-,                   delete, '',   pods,        '',      x,     true",
      "get;*;deployments;-,           get,    apps, deployments, '',      x,     true",
      "get;'';*;-,                    get,    '',   services,    '',      x,     true",
      // a resource does not cover its subresources, nor a subresource its resource
      "get;'';pods;-,                 get,    '',   pods,        log,     x,     false",
      "get;'';pods/log;-,             get,    '',   pods,        log,     x,     true",
      "get;'';pods/log;-,             get,    '',   pods,        '',      x,     false",
      "create;'';pods/exec;-,         create, '',   pods,        log,     x,     false",
      // */sub covers that subresource of every resource, and only it
      "update;'';*/status;-,          update, '',   pods,        status,  x,     true",
      "update;'';*/status;-,          update, '',   pods,        '',      x,     false",
      "get|update;apps;*/scale;-,     update, apps, deployments, scale,   web,   true",
      "get|update;apps;*/scale;-,     update, apps, deployments, status,  web,   false",
      // * as a resource covers subresources too
      "get;'';*;-,                    get,    '',   pods,        log,     x,     true",
      // resourceNames: only those objects, so never a create or list (which name none)
      "get|update;'';nodes;n1,        get,    '',   nodes,       '',      n1,    true",
      "get|update;'';nodes;n1,        get,    '',   nodes,       '',      n2,    false",
      "list;'';nodes;n1,              list,   '',   nodes,       '',      '',    false",
      "get;coordination.k8s.io;leases;a|b, get, coordination.k8s.io, leases, '', b, true",
      // the special verbs are just verbs
      "bind;rbac.authorization.k8s.io;clusterroles;-, bind, rbac.authorization.k8s.io, clusterroles, '', view, true",
      "*;*;*;-,                       escalate, rbac.authorization.k8s.io, roles, '', r, true",
  })
  void matches(String rule, String verb, String group, String resource, String sub, String name, boolean allowed) {
    Attributes request = new Attributes(ALICE, verb, group, resource, sub, "default", name, "");
    assertThat(RuleMatcher.allows(parse(rule), request)).isEqualTo(allowed);
  }

  static PolicyRule parse(String text) {
    String[] p = text.strip().split(";", -1);
    PolicyRule.Builder b = PolicyRule.newBuilder().addAllVerbs(list(p[0])).addAllApiGroups(list(p[1]))
        .addAllResources(list(p[2]));
    return b.addAllResourceNames(list(p[3])).build();
  }

  private static List<String> list(String s) {
    String v = s.strip().replace("'", "");
    return v.equals("-") ? List.of() : List.of(v.split("\\|", -1));
  }
}
