package io.minik8s.mkctl.printers;

import io.minik8s.client.printers.Format;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the text of {@code describe}: {@code Key:  value} lines, indented two blanks per
 * level, whose values align within each run of lines (see {@link TabWriter}); sections
 * ({@code Containers:}) and small tables (conditions, events) in between.
 */
public final class DescribeWriter {
  /** Annotation values longer than this are cut, as kubectl does. */
  static final int MAX_ANNOTATION_LENGTH = 140;

  private final TabWriter tabs = TabWriter.forDescribe();

  private static String indent(int level) {
    return "  ".repeat(level);
  }

  /** {@code Key:  value}. */
  public DescribeWriter field(int level, String key, Object value) {
    tabs.line(indent(level) + key + ":\t" + oneLine(String.valueOf(value)));
    return this;
  }

  /** {@code Title:} alone on its line, opening a section. */
  public DescribeWriter section(int level, String title) {
    tabs.line(indent(level) + title + ":");
    return this;
  }

  /** A line as given; tabs in it separate aligned cells (for tables). */
  public DescribeWriter raw(int level, String text) {
    tabs.line(indent(level) + text);
    return this;
  }

  /** Labels-style map: {@code k=v}, one per line, keys sorted; {@code <none>} when empty. */
  public DescribeWriter labels(int level, String key, Map<String, String> map) {
    return map(level, key, map, "=");
  }

  /**
   * Annotations: {@code k: v}, one per line; the last-applied configuration is left out (it is
   * the whole manifest again) and long values are cut.
   */
  public DescribeWriter annotations(int level, String key, Map<String, String> map) {
    Map<String, String> shown = new TreeMap<>(map);
    shown.remove("kubectl.kubernetes.io/last-applied-configuration");
    shown.replaceAll((k, v) -> v.length() > MAX_ANNOTATION_LENGTH ? v.substring(0, MAX_ANNOTATION_LENGTH) + "..." : v);
    return map(level, key, shown, ": ");
  }

  private DescribeWriter map(int level, String key, Map<String, String> map, String separator) {
    if (map.isEmpty()) {
      return field(level, key, Format.NONE);
    }
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
      String entry = oneLine(e.getKey() + separator + e.getValue());
      tabs.line(indent(level) + (first ? key + ":" : "") + "\t" + entry);
      first = false;
    }
    return this;
  }

  /** A value over several lines: the first after the key, the others under it. */
  public DescribeWriter lines(int level, String key, Iterable<String> values) {
    boolean first = true;
    for (String v : values) {
      tabs.line(indent(level) + (first ? key + ":" : "") + "\t" + oneLine(v));
      first = false;
    }
    if (first) {
      field(level, key, Format.NONE);
    }
    return this;
  }

  public String render() {
    return tabs.render();
  }

  private static String oneLine(String s) {
    return s.replace('\t', ' ').replace("\r", "").replace('\n', ' ');
  }
}
