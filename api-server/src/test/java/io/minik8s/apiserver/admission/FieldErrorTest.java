package io.minik8s.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Lease;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Errors and the aggregate message print as Kubernetes prints them. */
class FieldErrorTest {

  @Test
  void numbersAreNotQuoted() {
    assertThat(FieldError.invalid("spec.replicas", -1, "must be greater than or equal to 0"))
        .hasToString("spec.replicas: Invalid value: -1: must be greater than or equal to 0");
  }

  @Test
  void requiredValueOmitsTheValue() {
    assertThat(FieldError.required("metadata.name", "name or generateName is required"))
        .hasToString("metadata.name: Required value: name or generateName is required");
    assertThat(FieldError.required("spec.selector", "")).hasToString("spec.selector: Required value");
  }

  @Test
  void stringsAreQuoted() {
    assertThat(FieldError.duplicate("spec.template.spec.containers[1].name", "nginx"))
        .hasToString("spec.template.spec.containers[1].name: Duplicate value: \"nginx\"");
    assertThat(FieldError.notFound("spec.containers[0].volumeMounts[0].name", "www"))
        .hasToString("spec.containers[0].volumeMounts[0].name: Not found: \"www\"");
  }

  @Test
  void unsupportedValueListsTheSupportedOnes() {
    assertThat(FieldError.notSupported("spec.template.spec.restartPolicy", "Sometimes", List.of("Always", "OnFailure", "Never")))
        .hasToString("spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: "
            + "\"Always\", \"OnFailure\", \"Never\"");
  }

  @Test
  void forbiddenAndTooLongOmitTheValue() {
    assertThat(FieldError.forbidden("spec", "nope")).hasToString("spec: Forbidden: nope");
    assertThat(FieldError.tooLong("metadata.annotations", 262144))
        .hasToString("metadata.annotations: Too long: must have at most 262144 bytes");
  }

  @Test
  void quotingEscapesAsGoDoes() {
    assertThat(FieldError.invalid("f", "a\"b\\c\nd\u0001", "bad"))
        .hasToString("f: Invalid value: \"a\\\"b\\\\c\\nd\\x01\": bad");
  }

  @Test
  void oneErrorIsPrintedBare() {
    List<FieldError> errors = List.of(FieldError.invalid("spec.replicas", -1, "must be greater than or equal to 0"));

    assertThat(Validation.invalidMessage(Samples.nginxDeployment(), errors)).isEqualTo(
        "Deployment.apps \"nginx-deployment\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0");
  }

  @Test
  void severalErrorsAreBracketedAndRepeatsDropped() {
    FieldError image = FieldError.required("spec.containers[0].image", "");
    FieldError name = FieldError.required("metadata.name", "name or generateName is required");
    Pod pod = Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("web-0")).build();

    assertThat(Validation.invalidMessage(pod, List.of(image, name, image))).isEqualTo(
        "Pod \"web-0\" is invalid: [spec.containers[0].image: Required value, "
            + "metadata.name: Required value: name or generateName is required]");
  }

  @Test
  void kindIsQualifiedByItsGroup() {
    Lease lease = Lease.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("node-1")).build();

    assertThat(Validation.invalidMessage(lease, List.of(FieldError.forbidden("spec", "x"))))
        .isEqualTo("Lease.coordination.k8s.io \"node-1\" is invalid: spec: Forbidden: x");
  }

  @Test
  void validationOutputFeedsTheMessage() {
    var d = Samples.nginxDeployment().toBuilder();
    d.getSpecBuilder().setReplicas(-1).setMinReadySeconds(-2);
    var defaulted = Defaulting.apply(d.build());

    assertThat(Validation.invalidMessage(defaulted, Validation.validateCreate(defaulted))).isEqualTo(
        "Deployment.apps \"nginx-deployment\" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, "
            + "spec.minReadySeconds: Invalid value: -2: must be greater than or equal to 0]");
  }
}
