package io.minik8s.e2e.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** docs/KUBERNETES.md holds exactly the table the class comments give, neither more nor less. */
@Timeout(180)
class ConcordanceTest {
  private static final String HOW_TO_FIX = "regenerate it: ./mvnw -B -q -o -pl e2e -am test -Dtest=ConcordanceTest "
      + "-Dsurefire.failIfNoSpecifiedTests=false -Dminik8s.docs.write=true";

  @Test
  void tableListsEveryClassThatNamesAKubernetesFileAndNothingElse() throws Exception {
    Path root = Repo.root();
    List<String> expected = Concordance.rows(Concordance.build(root));
    Path file = root.resolve(Concordance.FILE);
    if (Boolean.getBoolean("minik8s.docs.write")) {
      Concordance.main(new String[0]);
    }
    List<String> actual = Concordance.rowsIn(Files.readString(file));

    List<String> missing = new ArrayList<>(expected);
    missing.removeAll(actual);
    List<String> stale = new ArrayList<>(actual);
    stale.removeAll(expected);
    assertThat(missing).as("rows the class comments give but %s lacks; %s", Concordance.FILE, HOW_TO_FIX).isEmpty();
    assertThat(stale).as("rows of %s no class comment gives (a class renamed, moved or gone?); %s",
        Concordance.FILE, HOW_TO_FIX).isEmpty();
    assertThat(actual).as("the table's order").containsExactlyElementsOf(expected);
  }

  @Test
  void theTableCoversTheSeedsConcepts() throws Exception {
    // A reader who knows Kubernetes finds the class behind each of these through the table.
    String table = String.join("\n", Concordance.rowsIn(Files.readString(Repo.root().resolve(Concordance.FILE))));
    assertThat(table).contains("pkg/controller/replicaset/", "pkg/controller/deployment/", "pkg/controller/statefulset/",
        "pkg/controller/endpoint/", "pkg/controller/nodelifecycle/", "pkg/scheduler/", "pkg/kubelet/", "pkg/proxy/");
  }

  @Test
  void aMissingOrStaleRowIsSeenAndTheBlockIsRewrittenInPlace() {
    String doc = "# title\n\nintro\n\n" + Concordance.block(List.of("| a | b |", "| gone | x |")) + "\n\nafter\n";
    assertThat(Concordance.rowsIn(doc)).containsExactly("| a | b |", "| gone | x |");
    String rewritten = Concordance.rewrite(doc, List.of("| a | b |", "| new | y |"));
    assertThat(Concordance.rowsIn(rewritten)).containsExactly("| a | b |", "| new | y |");
    assertThat(rewritten).startsWith("# title\n\nintro\n\n").endsWith("\n\nafter\n");
    assertThat(Concordance.rowsIn("no markers")).isEmpty();
  }

  @Test
  void referencesAreFoundInEveryFormACommentUses() {
    assertThat(KubernetesReference.in("as Kubernetes' pkg/controller/replicaset/replica_set.go does."))
        .containsExactly(new KubernetesReference(KubernetesReference.KUBERNETES, "pkg/controller/replicaset/replica_set.go"));
    assertThat(KubernetesReference.in("(client-go's k8s.io/client-go/tools/cache/shared_informer.go)"))
        .containsExactly(new KubernetesReference(KubernetesReference.KUBERNETES,
            "staging/src/k8s.io/client-go/tools/cache/shared_informer.go"));
    assertThat(KubernetesReference.in("flannel's github.com/flannel-io/flannel/pkg/backend/hostgw."))
        .containsExactly(new KubernetesReference("flannel-io/flannel", "pkg/backend/hostgw"));
    assertThat(KubernetesReference.in("a Lease (coordination.k8s.io/v1) of the pkg"))
        .as("an API group is not a path").isEmpty();
  }

  @Test
  void aPathBrokenAtTheEndOfALineIsJoined() {
    String source = "/**\n * One watch (Kubernetes' staging/src/k8s.io/apiserver/pkg/storage/cacher/\n"
        + " * cache_watcher.go): filters.\n */\npublic final class Watcher {}\n";
    ClassComment c = ClassComment.of(source).orElseThrow();
    assertThat(c.typeName()).isEqualTo("Watcher");
    assertThat(KubernetesReference.in(c.text())).containsExactly(new KubernetesReference(KubernetesReference.KUBERNETES,
        "staging/src/k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go"));
  }
}
