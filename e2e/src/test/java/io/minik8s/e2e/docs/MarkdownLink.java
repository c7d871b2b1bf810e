package io.minik8s.e2e.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A link of a Markdown file, {@code [text](target)}, with the line it is on. Code blocks and code
 * spans outside a link's text are skipped, so {@code `a[0](x)`} in a code span is no link.
 */
record MarkdownLink(String text, String target, int line) {
  private static final Pattern LINK = Pattern.compile("\\[((?:[^\\[\\]]|\\[[^\\]]*\\])*)\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern LINE_ANCHOR = Pattern.compile("L(\\d+)(?:-L(\\d+))?");
  private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

  static List<MarkdownLink> in(String markdown) {
    List<MarkdownLink> out = new ArrayList<>();
    boolean fenced = false;
    int n = 0;
    for (String line : markdown.split("\n", -1)) {
      n++;
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      Matcher m = LINK.matcher(line);
      while (m.find()) {
        if (insideCodeSpan(line, m.start())) {
          continue;
        }
        out.add(new MarkdownLink(m.group(1), m.group(2), n));
      }
    }
    return out;
  }

  private static boolean insideCodeSpan(String line, int index) {
    int ticks = 0;
    for (int i = 0; i < index; i++) {
      if (line.charAt(i) == '`') {
        ticks++;
      }
    }
    return ticks % 2 == 1;
  }

  /** Whether the target is in this repository (not a URL, not a mail address). */
  boolean isRelative() {
    return !target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
  }

  String path() {
    int hash = target.indexOf('#');
    return hash < 0 ? target : target.substring(0, hash);
  }

  String anchor() {
    int hash = target.indexOf('#');
    return hash < 0 ? "" : target.substring(hash + 1);
  }

  /** The first line of a {@code #L12} or {@code #L12-L20} anchor, or -1. */
  int anchorLine() {
    Matcher m = LINE_ANCHOR.matcher(anchor());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** The last line of a line anchor (the first when it names one line), or -1. */
  int anchorLastLine() {
    Matcher m = LINE_ANCHOR.matcher(anchor());
    return !m.matches() ? -1 : m.group(2) != null ? Integer.parseInt(m.group(2)) : Integer.parseInt(m.group(1));
  }

  /**
   * The symbol a line link names: the last identifier of the last code span of its text, so
   * {@code [`ReplicaSetController.syncReplicaSet`]} names {@code syncReplicaSet} and
   * {@code [`--secure-port`]} names {@code --secure-port}. Empty when the text has no code span.
   */
  String symbol() {
    Matcher m = CODE_SPAN.matcher(text);
    String span = null;
    while (m.find()) {
      span = m.group(1);
    }
    if (span == null) {
      return "";
    }
    String s = span.replaceAll("\\(.*\\)$", "").strip();
    if (s.startsWith("-") || s.contains(" ") || s.contains(":") || s.contains("/")) {
      return s;
    }
    String[] parts = s.split("[.#]");
    return parts[parts.length - 1];
  }

  /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
  static String slug(String heading) {
    return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }
}
