package io.minik8s.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hostile lengths are refused by their length, before any regular expression sees them. */
@Timeout(30)
class LongInputTest {
  /** 300,000 characters of "a.a.a...": one regex repetition per label overflows the stack. */
  static final String DOTTED = "a.".repeat(150_000) + "a";

  @Test
  void aHugeDottedNameIsTooLongNotAStackOverflow() {
    assertThat(NameValidation.dns1123Subdomain(DOTTED)).containsExactly("must be no more than 253 characters");
    assertThat(NameValidation.qualifiedName(DOTTED + "/x")).containsExactly("prefix part must be no more than 253 characters");
    assertThat(NameValidation.dns1123Label(DOTTED)).containsExactly("must be no more than 63 characters");
    assertThat(NameValidation.labelValue(DOTTED)).containsExactly("must be no more than 63 characters");
    assertThat(NameValidation.qualifiedName(DOTTED)).containsExactly("name part must be no more than 63 characters");
  }

  @Test
  void aPodNamedWithAHugeDottedNameIsInvalidWithAShortMessage() {
    Pod pod = Defaulting.apply(Samples.nginxPod().toBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName(DOTTED)).build());

    List<FieldError> errors = Validation.validateCreate(pod);

    String message = Validation.invalidMessage(pod, errors);
    assertThat(message).contains("metadata.name").contains("must be no more than 253 characters");
    assertThat(message.length()).as("the error must fit a gRPC trailer").isLessThan(4096);
  }

  @Test
  void aHugeLabelKeyAndNamespaceNameAreInvalidToo() {
    Namespace ns = Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(DOTTED)
        .putLabels(DOTTED + "/k", "v").putAnnotations(DOTTED + "/k", "v").addFinalizers(DOTTED + "/f")).build();

    List<FieldError> errors = Validation.validateCreate(Defaulting.apply(ns));

    assertThat(errors).isNotEmpty();
    assertThat(Validation.invalidMessage(ns, errors).length()).isLessThan(4096);
  }
}
