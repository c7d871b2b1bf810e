package io.minik8s.mkctl.printers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Elastic tab stops, as kubectl's output gets them from Go's text/tabwriter: every line is
 * cells separated by tabs; a cell that ends in a tab belongs to a column, and a column is
 * aligned over a run of consecutive lines that all have a cell in it. A line with fewer cells
 * ends the run, so sections of {@code describe} align each on their own. The last cell of a
 * line is never padded, so no line ends in blanks.
 */
public final class TabWriter {
  private final int minWidth;
  private final int padding;
  private final List<String[]> lines = new ArrayList<>();

  /**
   * @param minWidth the least width of a column, padding included
   * @param padding blanks added after the widest cell of a column
   */
  public TabWriter(int minWidth, int padding) {
    this.minWidth = minWidth;
    this.padding = padding;
  }

  /** For {@code describe}: columns two blanks apart. */
  public static TabWriter forDescribe() {
    return new TabWriter(0, 2);
  }

  /** Adds one line (without its newline); tabs separate its cells. */
  public TabWriter line(String text) {
    lines.add(text.split("\t", -1));
    return this;
  }

  /** The aligned text, each line ending in a newline. */
  public String render() {
    int[][] widths = new int[lines.size()][];
    for (int i = 0; i < lines.size(); i++) {
      widths[i] = new int[Math.max(0, lines.get(i).length - 1)];
    }
    align(widths, 0, lines.size(), 0);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String[] cells = lines.get(i);
      for (int c = 0; c < cells.length; c++) {
        sb.append(cells[c]);
        if (c < cells.length - 1) {
          sb.append(" ".repeat(Math.max(0, widths[i][c] - width(cells[c]))));
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private void align(int[][] widths, int from, int to, int column) {
    int i = from;
    while (i < to) {
      if (widths[i].length <= column) {
        i++;
        continue;
      }
      int end = i;
      int widest = 0;
      while (end < to && widths[end].length > column) {
        widest = Math.max(widest, width(lines.get(end)[column]));
        end++;
      }
      int w = Math.max(minWidth, widest + padding);
      for (int k = i; k < end; k++) {
        widths[k][column] = w;
      }
      align(widths, i, end, column + 1);
      i = end;
    }
  }

  static int width(String s) {
    return s.codePointCount(0, s.length());
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (String[] l : lines) {
      sb.append(Arrays.toString(l)).append('\n');
    }
    return sb.toString();
  }
}
