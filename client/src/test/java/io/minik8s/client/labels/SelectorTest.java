package io.minik8s.client.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.api.LabelSelector;
import io.minik8s.api.LabelSelectorRequirement;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorTest {
  static final Map<String, String> FRONT = Map.of("app", "guestbook", "tier", "frontend");

  @Test
  void equalityAndSetBasedTermsAreAnded() {
    assertThat(Selector.parse("app=guestbook").matches(FRONT)).isTrue();
    assertThat(Selector.parse("app==guestbook,tier=backend").matches(FRONT)).isFalse();
    assertThat(Selector.parse("tier in (frontend, backend)").matches(FRONT)).isTrue();
    assertThat(Selector.parse("tier notin (frontend)").matches(FRONT)).isFalse();
    assertThat(Selector.parse("tier!=backend").matches(FRONT)).isTrue();
    assertThat(Selector.parse("app,!canary").matches(FRONT)).isTrue();
    assertThat(Selector.parse("!app").matches(FRONT)).isFalse();
  }

  @Test
  void notInMatchesObjectsWithoutTheKeyAsKubernetesDoes() {
    assertThat(Selector.parse("env notin (prod)").matches(FRONT)).isTrue();
    assertThat(Selector.parse("env!=prod").matches(FRONT)).isTrue();
  }

  @Test
  void anEmptySelectorMatchesEverything() {
    assertThat(Selector.parse("").matches(Map.of())).isTrue();
    assertThat(Selector.from(LabelSelector.getDefaultInstance()).isEmpty()).isTrue();
  }

  @Test
  void aSpecSelectorWithMatchLabelsAndMatchExpressionsMatchesLikeTheFrontendReplicaSet() {
    LabelSelector s = LabelSelector.newBuilder()
        .putMatchLabels("tier", "frontend")
        .addMatchExpressions(LabelSelectorRequirement.newBuilder().setKey("tier").setOperator("In").addValues("frontend"))
        .build();
    assertThat(Selector.from(s).matches(FRONT)).isTrue();
    assertThat(Selector.from(s).matches(Map.of("tier", "backend"))).isFalse();
    assertThat(Selector.from(s).toString()).isEqualTo("tier=frontend,tier in (frontend)");
  }

  @Test
  void badSyntaxAndUnknownOperatorsAreRejected() {
    assertThatThrownBy(() -> Selector.parse("tier in frontend")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Selector.parse("tier maybe (x)")).hasMessageContaining("unknown operator");
    assertThatThrownBy(() -> Selector.from(LabelSelector.newBuilder()
        .addMatchExpressions(LabelSelectorRequirement.newBuilder().setKey("a").setOperator("Near")).build()))
        .hasMessageContaining("\"Near\" is not a valid label selector operator");
  }

  @Test
  void fieldSelectorsSupportNodeNameForPodsOnly() {
    Pod pod = Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("p").setNamespace("default"))
        .setSpec(PodSpec.newBuilder().setNodeName("node-1")).build();
    assertThat(FieldSelector.parse("spec.nodeName=node-1", "Pod").matches(pod)).isTrue();
    assertThat(FieldSelector.parse("spec.nodeName!=node-1", "Pod").matches(pod)).isFalse();
    assertThat(FieldSelector.parse("metadata.name=p,metadata.namespace=default", "Pod").matches(pod)).isTrue();
    assertThat(FieldSelector.parse("spec.nodeName=node-1", "Pod").requiredValue("spec.nodeName")).isEqualTo("node-1");
    assertThatThrownBy(() -> FieldSelector.parse("spec.nodeName=x", "Service"))
        .hasMessageContaining("field label not supported: spec.nodeName");
  }
}
