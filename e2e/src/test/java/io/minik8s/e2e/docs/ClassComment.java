package io.minik8s.e2e.docs;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Javadoc comment of a source file's top-level type, as plain text: the comment markers and
 * leading asterisks gone, lines joined by one space, and a path broken after a slash at the end of
 * a line joined up again ({@code .../cacher/} + {@code cache_watcher.go}).
 */
record ClassComment(String typeName, String text) {
  /** A top-level type's declaration: at the start of a line, after its annotations. */
  private static final Pattern TYPE = Pattern.compile(
      "^(?:(?:public|final|abstract|sealed|non-sealed)\\s+)*(?:class|interface|record|enum|@interface)\\s+(\\w+)",
      Pattern.MULTILINE);

  /**
   * The comment of the first top-level type declared in {@code source}: the last Javadoc comment
   * before its declaration (annotations may stand between them, with any text in them).
   */
  static Optional<ClassComment> of(String source) {
    Matcher type = TYPE.matcher(source);
    if (!type.find()) {
      return Optional.empty();
    }
    String before = source.substring(0, type.start());
    int start = before.lastIndexOf("/**");
    int end = before.lastIndexOf("*/");
    if (start < 0 || end < start) {
      return Optional.empty();
    }
    String body = before.substring(start + 3, end);
    StringBuilder text = new StringBuilder();
    for (String line : body.split("\n")) {
      String l = line.strip();
      l = l.startsWith("*") ? l.substring(1).strip() : l;
      if (!text.isEmpty() && !l.isEmpty() && text.charAt(text.length() - 1) != '/') {
        text.append(' ');
      }
      text.append(l);
    }
    return Optional.of(new ClassComment(type.group(1), text.toString().strip()));
  }
}
