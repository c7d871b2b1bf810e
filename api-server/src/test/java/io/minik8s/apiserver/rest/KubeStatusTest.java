package io.minik8s.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.minik8s.apiserver.admission.FieldError;
import io.minik8s.apiserver.registry.ApiException;
import io.minik8s.client.api.Resources;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class KubeStatusTest {
  @Test
  void theApiExceptionInAGrpcStatusGivesTheReason() {
    KubeStatus s = KubeStatus.of(ApiException.notFound(Resources.PODS, "x").toStatus());
    assertThat(s.code()).isEqualTo(404);
    assertThat(s.reason()).isEqualTo("NotFound");
    assertThat(s.message()).isEqualTo("pods \"x\" not found");
  }

  @Test
  void invalidAndBadRequestShareAGrpcCodeButNotAnHttpOne() {
    ApiException invalid = ApiException.invalid("Deployment.apps \"d\" is invalid: spec.replicas: Invalid value: -1: "
        + "must be greater than or equal to 0", List.of(FieldError.invalid("spec.replicas", -1,
        "must be greater than or equal to 0")));
    KubeStatus s = KubeStatus.of(invalid.toStatus());
    assertThat(s.code()).isEqualTo(422);
    Map<String, Object> tree = s.toTree();
    assertThat(tree).containsEntry("kind", "Status").containsEntry("status", "Failure").containsEntry("reason", "Invalid");
    assertThat(tree.get("details")).isEqualTo(Map.of("causes", List.of(Map.of("reason", "FieldValueInvalid",
        "message", "Invalid value: -1: must be greater than or equal to 0", "field", "spec.replicas"))));
    assertThat(KubeStatus.of(ApiException.badRequest("bad").toStatus()).code()).isEqualTo(400);
  }

  @Test
  void aBareGrpcStatusMapsByCode() {
    assertThat(KubeStatus.of(Status.ABORTED.withDescription("x").asRuntimeException()).code()).isEqualTo(409);
    assertThat(KubeStatus.of(Status.OUT_OF_RANGE.withDescription("too old").asRuntimeException()).reason())
        .isEqualTo("Expired");
    assertThat(KubeStatus.of(Status.RESOURCE_EXHAUSTED.asRuntimeException()).code()).isEqualTo(413);
    assertThat(KubeStatus.of(new IllegalStateException("boom")).code()).isEqualTo(500);
  }
}
