package io.minik8s.mkctl.printers;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A table as {@code kubectl get} prints it: left-aligned columns, each as wide as its widest
 * cell plus three blanks (six at least), the last column unpadded. The widths are kept after
 * the first print so that rows printed later (by {@code get --watch}) line up under it, growing
 * a column only when a cell does not fit.
 */
public final class Table {
  static final int MIN_WIDTH = 6;
  static final int PADDING = 3;

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();
  private int[] widths;
  private boolean headerPrinted;

  /** A table with a header row; pass null to print no header. */
  public Table(List<String> header) {
    this.header = header;
  }

  public Table addRow(List<String> cells) {
    rows.add(cells);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Prints the header (once) and the rows added so far, then forgets the rows but keeps the widths. */
  public void print(PrintWriter out) {
    List<List<String>> all = new ArrayList<>();
    if (header != null && !headerPrinted) {
      all.add(header);
      headerPrinted = true;
    }
    all.addAll(rows);
    rows.clear();
    for (List<String> r : all) {
      widen(r);
    }
    for (List<String> r : all) {
      out.print(format(r));
    }
    out.flush();
  }

  /** Prints one more row, aligned with what was printed before (the header first if it was not). */
  public void printRow(PrintWriter out, List<String> cells) {
    if (header != null && !headerPrinted) {
      widen(header);
      widen(cells);
      out.print(format(header));
      headerPrinted = true;
    }
    widen(cells);
    out.print(format(cells));
    out.flush();
  }

  /** The rendered text of the header and rows added so far (for tests and nested output). */
  public String render() {
    java.io.StringWriter sw = new java.io.StringWriter();
    print(new PrintWriter(sw));
    return sw.toString();
  }

  private void widen(List<String> cells) {
    if (widths == null) {
      widths = new int[cells.size()];
    } else if (widths.length < cells.size()) {
      widths = java.util.Arrays.copyOf(widths, cells.size());
    }
    for (int c = 0; c < cells.size(); c++) {
      widths[c] = Math.max(widths[c], Math.max(MIN_WIDTH, TabWriter.width(clean(cells.get(c))) + PADDING));
    }
  }

  private String format(List<String> cells) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String cell = clean(cells.get(c));
      sb.append(cell);
      if (c < cells.size() - 1) {
        sb.append(" ".repeat(widths[c] - TabWriter.width(cell)));
      }
    }
    return sb.append('\n').toString();
  }

  /** Cells are single-line: tabs and line breaks become blanks. */
  private static String clean(String cell) {
    return cell == null ? "" : cell.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }
}
