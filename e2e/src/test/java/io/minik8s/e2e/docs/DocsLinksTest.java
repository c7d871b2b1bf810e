package io.minik8s.e2e.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every relative link of docs/*.md, the root README and the modules' READMEs leads somewhere: the
 * file exists, a {@code #L12} anchor is a line of it that still holds the symbol the link's text
 * names in backticks, and a heading anchor is a heading of the Markdown file. Code moves under the
 * tour as other changes land; this is what tells the tour to follow.
 */
@Timeout(180)
class DocsLinksTest {

  @Test
  void everyRelativeLinkPointsAtWhatItNames() throws Exception {
    Path root = Repo.root();
    if (Boolean.getBoolean("minik8s.docs.write")) {
      for (Path md : Repo.markdownFiles(root)) {
        LineAnchors.follow(root, md);
      }
    }
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path md : Repo.markdownFiles(root)) {
      for (MarkdownLink link : MarkdownLink.in(Repo.read(root.resolve(md)))) {
        if (!link.isRelative()) {
          continue;
        }
        checked++;
        String problem = problem(root, md, link);
        if (problem != null) {
          problems.add(md + ":" + link.line() + ": [" + link.text() + "](" + link.target() + "): " + problem);
        }
      }
    }
    assertThat(checked).as("links checked").isGreaterThan(100);
    assertThat(problems).as("broken links: fix the link, or let the line links follow the code with "
        + "./mvnw -B -q -o -pl e2e -am test -Dtest=DocsLinksTest -Dsurefire.failIfNoSpecifiedTests=false "
        + "-Dminik8s.docs.write=true").isEmpty();
  }

  @Test
  void theTourAndTheArchitectureLinkLinesOfCode() {
    Path root = Repo.root();
    for (String doc : List.of("docs/TOUR.md", "docs/ARCHITECTURE.md")) {
      long lineLinks = MarkdownLink.in(Repo.read(root.resolve(doc))).stream().filter(l -> l.anchorLine() > 0).count();
      assertThat(lineLinks).as("line links in %s", doc).isGreaterThan(20);
    }
  }

  @Test
  void aMovedSymbolIsCaught() {
    // The check itself, against a line that no longer holds the symbol the link names.
    Path root = Repo.root();
    Path md = Path.of("docs", "TOUR.md");
    MarkdownLink good = new MarkdownLink("`ApiServer.start`",
        "../api-server/src/main/java/io/minik8s/apiserver/ApiServer.java#L" + lineOf(root,
            "api-server/src/main/java/io/minik8s/apiserver/ApiServer.java", "public static ApiServer start("), 1);
    assertThat(problem(root, md, good)).isNull();
    MarkdownLink moved = new MarkdownLink("`ApiServer.start`",
        "../api-server/src/main/java/io/minik8s/apiserver/ApiServer.java#L1", 1);
    assertThat(problem(root, md, moved)).contains("does not contain \"start\"");
    MarkdownLink gone = new MarkdownLink("`Gone`", "../api-server/src/main/java/io/minik8s/apiserver/Gone.java", 1);
    assertThat(problem(root, md, gone)).contains("no such file");
    MarkdownLink heading = new MarkdownLink("glossary", "ARCHITECTURE.md#no-such-heading", 1);
    assertThat(problem(root, md, heading)).contains("no heading");
  }

  @Test
  void aLineLinkFollowsItsSymbolToTheNearestDeclaration() {
    List<String> code = List.of("class A {", "  void run() {", "    run();", "  }", "  void other() {}", "}");
    assertThat(LineAnchors.nearest(code, "run", 3)).as("the declaration, not the call").isEqualTo(2);
    assertThat(LineAnchors.nearest(code, "A", 5)).isEqualTo(1);
    assertThat(LineAnchors.nearest(code, "gone", 2)).isEqualTo(-1);
  }

  private static int lineOf(Path root, String file, String text) {
    List<String> lines = Repo.read(root.resolve(file)).lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text + " not in " + file);
  }

  /** What is wrong with one link of the Markdown file {@code md}, or null. */
  static String problem(Path root, Path md, MarkdownLink link) {
    Path base = root.resolve(md).getParent();
    Path target = link.path().isEmpty() ? root.resolve(md) : base.resolve(link.path()).normalize();
    if (!target.startsWith(root)) {
      return "points outside the repository";
    }
    if (!Files.exists(target)) {
      return "no such file " + root.relativize(target);
    }
    if (link.anchor().isEmpty()) {
      return null;
    }
    if (link.anchorLine() > 0) {
      List<String> lines = Repo.read(target).lines().toList();
      if (link.anchorLastLine() > lines.size()) {
        return root.relativize(target) + " has only " + lines.size() + " lines";
      }
      String symbol = link.symbol();
      if (symbol.isEmpty()) {
        return "a line link must name its symbol in backticks, e.g. [`Class.method`](...#L12)";
      }
      for (int i = link.anchorLine(); i <= link.anchorLastLine(); i++) {
        if (lines.get(i - 1).contains(symbol)) {
          return null;
        }
      }
      return "line " + link.anchor() + " of " + root.relativize(target) + " does not contain \"" + symbol + "\"";
    }
    if (target.toString().endsWith(".md")) {
      Set<String> slugs = new HashSet<>();
      boolean fenced = false;
      for (String line : Repo.read(target).lines().toList()) {
        if (line.strip().startsWith("```")) {
          fenced = !fenced;
        } else if (!fenced && line.startsWith("#")) {
          slugs.add(MarkdownLink.slug(line.replaceFirst("^#+", "")));
        }
      }
      return slugs.contains(link.anchor()) ? null : "no heading #" + link.anchor() + " in " + root.relativize(target);
    }
    return null;
  }
}
