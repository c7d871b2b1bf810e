package io.minik8s.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Manifests written for Kubernetes must be accepted unchanged. */
class SampleValidationTest {

  static Stream<Message> samples() {
    return Samples.all().stream();
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("samples")
  void defaultedSampleHasNoErrorsOnCreate(Message sample) {
    assertThat(Validation.validateCreate(Defaulting.apply(sample))).isEmpty();
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("samples")
  void reapplyingTheSameSampleIsAValidUpdate(Message sample) {
    Message stored = Defaulting.apply(sample);
    assertThat(Validation.validateUpdate(Defaulting.apply(sample), stored)).isEmpty();
  }
}
