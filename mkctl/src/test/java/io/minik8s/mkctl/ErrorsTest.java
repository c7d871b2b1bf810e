package io.minik8s.mkctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class ErrorsTest {
  @Test
  void serverErrorsReadLikeKubectls() {
    assertThat(Errors.describe(Status.NOT_FOUND.withDescription("pods \"x\" not found").asRuntimeException(), "h:1"))
        .isEqualTo("Error from server (NotFound): pods \"x\" not found");
    assertThat(Errors.describe(Status.ALREADY_EXISTS.withDescription("deployments.apps \"web\" already exists")
        .asRuntimeException(), "h:1"))
        .isEqualTo("Error from server (AlreadyExists): deployments.apps \"web\" already exists");
    assertThat(Errors.describe(Status.ABORTED.withDescription("Operation cannot be fulfilled on pods \"x\"")
        .asRuntimeException(), "h:1"))
        .isEqualTo("Error from server (Conflict): Operation cannot be fulfilled on pods \"x\"");
  }

  @Test
  void invalidArgumentIsInvalidForValidationFailuresAndBadRequestOtherwise() {
    assertThat(Errors.describe(Status.INVALID_ARGUMENT
        .withDescription("Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1").asRuntimeException(), "h:1"))
        .startsWith("Error from server (Invalid): Deployment.apps \"web\" is invalid");
    assertThat(Errors.describe(Status.INVALID_ARGUMENT.withDescription("unable to parse requirement").asRuntimeException(), "h:1"))
        .startsWith("Error from server (BadRequest): ");
  }

  @Test
  void contextGoesBetweenReasonAndMessage() {
    assertThat(Errors.describe(Status.ALREADY_EXISTS.withDescription("pods \"x\" already exists").asRuntimeException(),
        "h:1", "error when creating \"pod.yaml\": "))
        .isEqualTo("Error from server (AlreadyExists): error when creating \"pod.yaml\": pods \"x\" already exists");
  }

  @Test
  void anUnreachableServerIsAConnectionRefusal() {
    var e = Status.UNAVAILABLE.withDescription("io exception")
        .withCause(new ConnectException("Connection refused")).asRuntimeException();
    assertThat(Errors.describe(e, "10.0.0.1:6443"))
        .isEqualTo("The connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?");
  }

  @Test
  void unavailableSentByTheServerItselfIsAServerError() {
    var e = Status.UNAVAILABLE.withDescription("etcd is not reachable").asRuntimeException();
    assertThat(Errors.describe(e, "10.0.0.1:6443")).isEqualTo("Error from server (ServiceUnavailable): etcd is not reachable");
  }
}
