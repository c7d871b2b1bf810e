package io.minik8s.client.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Every decoding error names the file, the 1-based line and the field path, and is never silent. */
class ManifestErrorsTest {

  private static ManifestException error(String yaml) {
    return thrown(() -> ManifestCodec.parse(yaml, "bad.yaml"));
  }

  private static ManifestException thrown(ThrowingCallable call) {
    Throwable t = catchThrowable(call);
    assertThat(t).isInstanceOf(ManifestException.class);
    return (ManifestException) t;
  }

  @Test
  void unknownFieldDeepInsideIsNamedWithItsPathAndLine() {
    ManifestException e = error("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          template:
            spec:
              containers:
              - name: nginx
                image: nginx
                ports:
                - containerPort: 80
                  protocl: TCP
        """);
    assertThat(e.source()).isEqualTo("bad.yaml");
    assertThat(e.line()).isEqualTo(13);
    assertThat(e.field()).isEqualTo("spec.template.spec.containers[0].ports[0].protocl");
    assertThat(e.getMessage()).isEqualTo("bad.yaml:13: spec.template.spec.containers[0].ports[0].protocl: "
        + "unknown field \"protocl\" in Deployment.spec.template.spec.containers[0].ports[0]");
  }

  @Test
  void unknownFieldNearTheTop() {
    ManifestException e = error("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replica: 3
        """);
    assertThat(e.getMessage()).isEqualTo("bad.yaml:6: spec.replica: unknown field \"replica\" in Deployment.spec");
    assertThat(e.line()).isEqualTo(6);
    assertThat(e.field()).isEqualTo("spec.replica");
  }

  @Test
  void stringForAnIntegerIsAWrongType() {
    ManifestException e = error("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: three
        """);
    assertThat(e.getMessage()).isEqualTo("bad.yaml:6: spec.replicas: invalid type: expected an integer, got \"three\"");
    assertThat(e.line()).isEqualTo(6);
    assertThat(e.field()).isEqualTo("spec.replicas");
  }

  @Test
  void quotedNumberIsStillAString() {
    ManifestException e = error("""
        apiVersion: apps/v1
        kind: Deployment
        spec:
          replicas: "3"
        """);
    assertThat(e.field()).isEqualTo("spec.replicas");
    assertThat(e.detail()).isEqualTo("invalid type: expected an integer, got \"3\"");
  }

  @Test
  void numberForAStringIsAWrongType() {
    ManifestException e = error("""
        apiVersion: v1
        kind: Pod
        spec:
          containers:
          - name: app
            image: 5
        """);
    assertThat(e.line()).isEqualTo(6);
    assertThat(e.field()).isEqualTo("spec.containers[0].image");
    assertThat(e.detail()).isEqualTo("invalid type: expected a string, got 5");
  }

  @Test
  void boolFieldTakesOnlyBooleans() {
    ManifestException e = error("""
        apiVersion: v1
        kind: Pod
        spec:
          hostNetwork: "true"
        """);
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.field()).isEqualTo("spec.hostNetwork");
    assertThat(e.detail()).isEqualTo("invalid type: expected a boolean, got \"true\"");
  }

  @Test
  void unknownKind() {
    ManifestException e = error("""
        apiVersion: v1
        kind: Foo
        metadata:
          name: x
        """);
    assertThat(e.getMessage()).isEqualTo("bad.yaml:1: no matches for kind \"Foo\" in version \"v1\"");
    assertThat(e.line()).isEqualTo(1);
    assertThat(e.field()).isEmpty();
  }

  @Test
  void knownKindInTheWrongVersion() {
    ManifestException e = error("""
        # a Deployment lives in apps/v1, not in the core group
        apiVersion: v1
        kind: Deployment
        """);
    assertThat(e.getMessage()).isEqualTo("bad.yaml:2: no matches for kind \"Deployment\" in version \"v1\"");
    assertThat(e.line()).isEqualTo(2);
  }

  @Test
  void missingKind() {
    ManifestException e = error("""
        apiVersion: v1
        metadata:
          name: x
        """);
    assertThat(e.getMessage()).isEqualTo("bad.yaml:1: kind: Object 'Kind' is missing");
    assertThat(e.field()).isEqualTo("kind");
    assertThat(e.line()).isEqualTo(1);
  }

  @Test
  void missingApiVersionInTheSecondDocument() {
    ManifestException e = error("""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: a
        ---
        kind: Namespace
        metadata:
          name: b
        """);
    assertThat(e.getMessage()).isEqualTo("bad.yaml:6: apiVersion: Object 'apiVersion' is missing");
    assertThat(e.field()).isEqualTo("apiVersion");
  }

  @Test
  void tabInIndentationIsASyntaxErrorOnItsLine() {
    ManifestException e = error("apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.field()).isEmpty();
    assertThat(e.getMessage()).startsWith("bad.yaml:4: yaml: ").contains("TAB").doesNotContain("\n");
  }

  @Test
  void unclosedBracketIsASyntaxErrorThatSaysTheLine() {
    ManifestException e = error("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: x
          finalizers: [a, b
        spec:
          nodeName: n1
        """);
    assertThat(e.line()).isEqualTo(6);
    assertThat(e.getMessage()).isEqualTo("bad.yaml:6: yaml: while parsing a flow sequence (started on line 5): "
        + "expected ',' or ']', but got :");
  }

  @Test
  void integerOutOfInt32Range() {
    ManifestException e = error("""
        apiVersion: v1
        kind: Pod
        spec:
          containers:
          - name: app
            ports:
            - containerPort: 99999999999
        """);
    assertThat(e.line()).isEqualTo(7);
    assertThat(e.field()).isEqualTo("spec.containers[0].ports[0].containerPort");
    assertThat(e.detail()).isEqualTo("invalid value: 99999999999 is out of range for int32");
  }

  @Test
  void listWhereAMapIsExpected() {
    ManifestException e = error("""
        apiVersion: v1
        kind: Pod
        metadata:
          - name: x
        """);
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.field()).isEqualTo("metadata");
    assertThat(e.detail()).isEqualTo("invalid type: expected a map, got a list");
  }

  @Test
  void mapWhereAListIsExpected() {
    ManifestException e = error("""
        apiVersion: v1
        kind: Pod
        spec:
          containers:
            name: app
        """);
    assertThat(e.line()).isEqualTo(5);
    assertThat(e.field()).isEqualTo("spec.containers");
    assertThat(e.detail()).isEqualTo("invalid type: expected a list, got a map");
  }

  @Test
  void mapWhereAScalarIsExpectedEvenInALabel() {
    ManifestException e = error("""
        apiVersion: v1
        kind: Pod
        metadata:
          labels:
            app:
              name: x
        """);
    assertThat(e.line()).isEqualTo(6);
    assertThat(e.field()).isEqualTo("metadata.labels[app]");
    assertThat(e.detail()).isEqualTo("invalid type: expected a string, got a map");
  }

  @Test
  void intOrStringRefusesABoolean() {
    ManifestException e = error("""
        apiVersion: v1
        kind: Service
        spec:
          ports:
          - port: 80
            targetPort: true
        """);
    assertThat(e.field()).isEqualTo("spec.ports[0].targetPort");
    assertThat(e.detail()).isEqualTo("invalid type: expected an integer or a string, got true");
  }

  @Test
  void duplicateFieldIsRefusedRatherThanOverwritten() {
    ManifestException e = error("""
        apiVersion: apps/v1
        kind: Deployment
        spec:
          replicas: 1
          replicas: 5
        """);
    assertThat(e.line()).isEqualTo(5);
    assertThat(e.field()).isEqualTo("spec.replicas");
    assertThat(e.detail()).isEqualTo("duplicate field \"replicas\"");
  }

  @Test
  void errorsInsideAListNameTheItemsField() {
    ManifestException e = error("""
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Namespace
          metadata: {name: a}
        - apiVersion: v1
          kind: Namespace
          metadata: {name: b, nam: c}
        """);
    assertThat(e.line()).isEqualTo(9);
    assertThat(e.field()).isEqualTo("metadata.nam");
  }

  @Test
  void aliasToItsOwnAncestorIsRefusedNotFollowedForever() {
    ManifestException e = error("""
        apiVersion: apps/v1
        kind: ControllerRevision
        data: &d
          again: *d
        """);
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.detail()).startsWith("nested more than 1000 levels deep");
  }

  @Test
  void listInsideAListIsRefused() {
    ManifestException e = error("""
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: List
          items: []
        """);
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.detail()).isEqualTo("no matches for kind \"List\" in version \"v1\"");
  }

  @Test
  void documentThatIsNotAMap() {
    ManifestException e = error("just some words\n");
    assertThat(e.getMessage()).isEqualTo("bad.yaml:1: invalid type: expected a map, got \"just some words\"");
  }

  @Test
  void parseOneWantsExactlyOneObject() {
    ManifestException e = thrown(() -> ManifestCodec.parseOne("""
        apiVersion: v1
        kind: Namespace
        ---
        apiVersion: v1
        kind: Namespace
        """, "two.yaml"));
    assertThat(e.getMessage()).isEqualTo("two.yaml: expected exactly one object, found 2");
  }

  @Test
  void treeErrorsNameTheFieldWithoutALine() {
    Map<String, java.lang.Object> port = new LinkedHashMap<>();
    port.put("containerPort", "eighty");
    Map<String, java.lang.Object> tree = Map.of(
        "apiVersion", "v1",
        "kind", "Pod",
        "spec", Map.of("containers", List.of(Map.of("name", "app", "ports", List.of(port)))));
    ManifestException e = thrown(() -> ManifestCodec.fromTree(tree, "code"));
    assertThat(e.line()).isZero();
    assertThat(e.field()).isEqualTo("spec.containers[0].ports[0].containerPort");
    assertThat(e.getMessage()).isEqualTo(
        "code: spec.containers[0].ports[0].containerPort: invalid type: expected an integer, got \"eighty\"");
  }

  @Test
  void treeWithAJavaObjectWhereAStringBelongs() {
    Map<String, java.lang.Object> tree = Map.of(
        "apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", new StringBuilder("x")));
    ManifestException e = thrown(() -> ManifestCodec.fromTree(tree, "code"));
    assertThat(e.field()).isEqualTo("metadata.name");
    assertThat(e.detail()).isEqualTo("invalid type: expected a string, got !java.lang.StringBuilder x");
  }
}
