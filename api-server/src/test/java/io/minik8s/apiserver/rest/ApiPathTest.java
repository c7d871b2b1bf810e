package io.minik8s.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.client.api.Resources;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ApiPathTest {
  @Test
  void coreNamespacedObjectAndSubresource() {
    assertThat(ApiPath.parse("/api/v1/namespaces/ns1/pods/web/status"))
        .contains(new ApiPath(Resources.PODS, "ns1", "web", "status"));
    assertThat(ApiPath.parse("/api/v1/namespaces/ns1/pods"))
        .contains(new ApiPath(Resources.PODS, "ns1", "", ""));
  }

  @Test
  void allNamespacesAndClusterScoped() {
    assertThat(ApiPath.parse("/api/v1/pods")).contains(new ApiPath(Resources.PODS, "", "", ""));
    assertThat(ApiPath.parse("/api/v1/nodes/n1")).contains(new ApiPath(Resources.NODES, "", "n1", ""));
    assertThat(ApiPath.parse("/apis/rbac.authorization.k8s.io/v1/clusterroles/admin"))
        .contains(new ApiPath(Resources.CLUSTER_ROLES, "", "admin", ""));
  }

  @Test
  void aNamespaceIsItselfAResourceWithItsOwnStatus() {
    assertThat(ApiPath.parse("/api/v1/namespaces/ns1")).contains(new ApiPath(Resources.NAMESPACES, "", "ns1", ""));
    assertThat(ApiPath.parse("/api/v1/namespaces/ns1/status"))
        .contains(new ApiPath(Resources.NAMESPACES, "", "ns1", "status"));
  }

  @Test
  void groupsMustMatchTheResource() {
    assertThat(ApiPath.parse("/apis/apps/v1/namespaces/a/deployments/d/scale"))
        .contains(new ApiPath(Resources.DEPLOYMENTS, "a", "d", "scale"));
    assertThat(ApiPath.parse("/api/v1/namespaces/a/deployments")).isEmpty(); // deployments are not core
    assertThat(ApiPath.parse("/apis/apps/v2/deployments")).isEmpty();
    assertThat(ApiPath.parse("/apis/apps/v1/namespaces/a/widgets")).isEmpty();
    assertThat(ApiPath.parse("/api/v1/namespaces/a/nodes/n1")).isEmpty(); // a node is in no namespace
    assertThat(ApiPath.parse("/api/v1/namespaces/a/pods/p/status/extra")).isEmpty();
  }
}
