package io.minik8s.e2e.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Moves the {@code #L12} anchors of a Markdown file after the code moved: a line link whose line no
 * longer holds its symbol is pointed at the nearest line that declares it (a class, or a method
 * with a type before its name), else at the nearest line that mentions it. Run by
 * {@link DocsLinksTest} with {@code -Dminik8s.docs.write=true}; a symbol that is gone stays broken,
 * and the test says so.
 */
final class LineAnchors {
  private LineAnchors() {}

  /** Rewrites the file's line links that moved; returns how many it changed. */
  static int follow(Path root, Path md) throws IOException {
    Path file = root.resolve(md);
    List<String> lines = Files.readAllLines(file);
    int changed = 0;
    for (MarkdownLink link : MarkdownLink.in(String.join("\n", lines))) {
      if (!link.isRelative() || link.anchorLine() < 0 || link.symbol().isEmpty()) {
        continue;
      }
      Path target = file.getParent().resolve(link.path()).normalize();
      if (!Files.isRegularFile(target) || DocsLinksTest.problem(root, md, link) == null) {
        continue;
      }
      int found = nearest(Files.readAllLines(target), link.symbol(), link.anchorLine());
      if (found < 0) {
        continue;
      }
      String old = "[" + link.text() + "](" + link.target() + ")";
      String now = "[" + link.text() + "](" + link.path() + "#L" + found + ")";
      lines.set(link.line() - 1, lines.get(link.line() - 1).replace(old, now));
      changed++;
    }
    if (changed > 0) {
      Files.writeString(file, String.join("\n", lines) + "\n");
    }
    return changed;
  }

  /** The 1-based line nearest to {@code near} that declares {@code symbol}, else mentions it; -1 if none. */
  static int nearest(List<String> lines, String symbol, int near) {
    String s = Pattern.quote(symbol);
    Pattern declaration = Pattern.compile("\\b(class|interface|record|enum)\\s+" + s + "\\b"
        + "|^\\s*(?!return\\b|new\\b|throw\\b)[\\w<>\\[\\],.?@ ]*[\\w>\\]]\\s+" + s + "\\s*\\(");
    int best = nearest(lines, near, l -> declaration.matcher(l).find());
    return best > 0 ? best : nearest(lines, near, l -> l.contains(symbol));
  }

  private static int nearest(List<String> lines, int near, java.util.function.Predicate<String> fits) {
    int best = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (fits.test(lines.get(i)) && (best < 0 || Math.abs(i + 1 - near) < Math.abs(best - near))) {
        best = i + 1;
      }
    }
    return best;
  }
}
