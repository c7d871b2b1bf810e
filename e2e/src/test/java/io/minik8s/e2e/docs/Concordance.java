package io.minik8s.e2e.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The table of docs/KUBERNETES.md: every Kubernetes source file or directory a class comment names
 * ({@link KubernetesReference}), with the classes that name it. Built from the sources each time, so
 * the table can only say what the comments say; {@link ConcordanceTest} fails when the file holds a
 * different table, and {@code main} (or that test with {@code -Dminik8s.docs.write=true}) writes it.
 */
final class Concordance {
  static final String BEGIN = "<!-- BEGIN GENERATED: do not edit; ConcordanceTest checks this table against the class comments -->";
  static final String END = "<!-- END GENERATED -->";
  static final Path FILE = Path.of("docs", "KUBERNETES.md");

  /** A class of the repository: its module, its simple name, its path from the root. */
  record ClassRef(String module, String name, Path source) {}

  private Concordance() {}

  /** Each reference with the classes that name it, sorted by reference then by class. */
  static Map<KubernetesReference, List<ClassRef>> build(Path root) {
    Map<KubernetesReference, List<ClassRef>> out = new TreeMap<>();
    for (Path source : Repo.mainSources(root)) {
      ClassComment.of(Repo.read(root.resolve(source))).ifPresent(c -> {
        ClassRef ref = new ClassRef(source.getName(0).toString(), c.typeName(), source);
        for (KubernetesReference k : KubernetesReference.in(c.text())) {
          out.computeIfAbsent(k, x -> new ArrayList<>()).add(ref);
        }
      });
    }
    out.values().forEach(l -> l.sort((a, b) -> a.name().compareTo(b.name())));
    return out;
  }

  /** The table's rows, one per reference, as written between the markers. */
  static List<String> rows(Map<KubernetesReference, List<ClassRef>> concordance) {
    List<String> rows = new ArrayList<>();
    concordance.forEach((k, classes) -> {
      String left = k.url() == null ? "`" + k.display() + "`" : "[`" + k.display() + "`](" + k.url() + ")";
      String right = classes.stream()
          .map(c -> "[`" + c.name() + "`](../" + c.source().toString().replace('\\', '/') + ") (" + c.module() + ")")
          .collect(Collectors.joining(", "));
      rows.add("| " + left + " | " + right + " |");
    });
    return rows;
  }

  /** The generated block, markers included. */
  static String block(List<String> rows) {
    return BEGIN + "\n| Kubernetes (or other project) | MiniK8s |\n|---|---|\n" + String.join("\n", rows) + "\n" + END;
  }

  /** The rows now between the markers of the file's text; empty when the markers are missing. */
  static List<String> rowsIn(String markdown) {
    int b = markdown.indexOf(BEGIN);
    int e = markdown.indexOf(END);
    if (b < 0 || e < b) {
      return List.of();
    }
    return markdown.substring(b + BEGIN.length(), e).lines()
        .filter(l -> l.startsWith("| ") && !l.startsWith("| Kubernetes (or other project)"))
        .toList();
  }

  /** The file's text with the block replaced by a fresh one (appended when it has none). */
  static String rewrite(String markdown, List<String> rows) {
    int b = markdown.indexOf(BEGIN);
    int e = markdown.indexOf(END);
    if (b < 0 || e < b) {
      return markdown + "\n" + block(rows) + "\n";
    }
    return markdown.substring(0, b) + block(rows) + markdown.substring(e + END.length());
  }

  /** Writes the table into docs/KUBERNETES.md of the repository this runs in. */
  public static void main(String[] args) throws Exception {
    Path root = Repo.root();
    Path file = root.resolve(FILE);
    String old = Files.isRegularFile(file) ? Files.readString(file) : "";
    Files.writeString(file, rewrite(old, rows(build(root))));
  }
}
