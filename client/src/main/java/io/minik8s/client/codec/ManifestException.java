package io.minik8s.client.codec;

/**
 * A manifest that cannot be decoded: where (file, line, field path) and what is wrong. The
 * message reads like a compiler's, {@code file:line: field: problem}, so that a user finds the
 * spot at once, as with {@code kubectl apply}.
 */
public class ManifestException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final String field;
  private final String detail;

  public ManifestException(String source, int line, String field, String detail) {
    this(source, line, field, detail, null);
  }

  public ManifestException(String source, int line, String field, String detail, Throwable cause) {
    super(format(source, line, field, detail), cause);
    this.source = source == null ? "" : source;
    this.line = Math.max(line, 0);
    this.field = field == null ? "" : field;
    this.detail = detail;
  }

  private static String format(String source, int line, String field, String detail) {
    StringBuilder sb = new StringBuilder();
    if (source != null && !source.isEmpty()) {
      sb.append(source).append(line > 0 ? ":" + line : "").append(": ");
    } else if (line > 0) {
      sb.append("line ").append(line).append(": ");
    }
    if (field != null && !field.isEmpty()) {
      sb.append(field).append(": ");
    }
    return sb.append(detail).toString();
  }

  /** The file name (or other label) the text came from. */
  public String source() {
    return source;
  }

  /** The 1-based line of the offending node, 0 if unknown (for trees built in code). */
  public int line() {
    return line;
  }

  /** The field path, such as {@code spec.template.spec.containers[0].image}; "" if none. */
  public String field() {
    return field;
  }

  /** The problem alone, without source, line and field. */
  public String detail() {
    return detail;
  }
}
