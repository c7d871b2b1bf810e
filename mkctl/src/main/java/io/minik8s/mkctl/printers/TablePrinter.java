package io.minik8s.mkctl.printers;

import io.minik8s.client.printers.Format;
import io.minik8s.client.printers.KindColumns;
import io.minik8s.client.printers.TablePrinters;
import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints objects of one kind as {@code mkctl get} does: the kind's columns, preceded by
 * NAMESPACE with {@code --all-namespaces}, followed by LABELS with {@code --show-labels}, and
 * names prefixed by their kind ({@code deployment.apps/web}) when several kinds are listed
 * together.
 */
public final class TablePrinter {
  /** How the table is laid out. */
  public record Options(boolean wide, boolean withNamespace, boolean withKind, boolean showLabels, boolean noHeaders) {
    public static Options plain() {
      return new Options(false, false, false, false, false);
    }
  }

  private final ResourceType type;
  private final KindColumns<?> columns;
  private final Options options;
  private final Clock clock;
  private final Table table;

  public TablePrinter(ResourceType type, Options options, Clock clock) {
    this.type = type;
    this.columns = TablePrinters.columnsOf(type);
    this.options = options;
    this.clock = clock;
    this.table = new Table(options.noHeaders() ? null : header());
  }

  public List<String> header() {
    List<String> h = new ArrayList<>();
    if (options.withNamespace()) {
      h.add("NAMESPACE");
    }
    h.addAll(columns.headers(options.wide()));
    if (options.showLabels()) {
      h.add("LABELS");
    }
    return h;
  }

  public List<String> row(Message object) {
    ObjectMeta meta = KubeObjects.meta(object);
    List<String> cells = new ArrayList<>();
    if (options.withNamespace()) {
      cells.add(meta.getNamespace());
    }
    List<String> kindCells = columns.cells(object, options.wide(), clock.instant());
    List<String> headers = columns.headers(options.wide());
    for (int i = 0; i < kindCells.size(); i++) {
      String cell = kindCells.get(i);
      if (options.withKind() && headers.get(i).equals("NAME")) {
        cell = type.qualifiedSingular() + "/" + cell;
      }
      cells.add(cell);
    }
    if (options.showLabels()) {
      cells.add(Format.labels(meta.getLabelsMap()));
    }
    return cells;
  }

  /** Prints the header and a row per object. */
  public void print(List<? extends Message> objects, PrintWriter out) {
    for (Message m : objects) {
      table.addRow(row(m));
    }
    table.print(out);
  }

  /** Prints one more row aligned with the table printed before (for {@code --watch}). */
  public void printRow(Message object, PrintWriter out) {
    table.printRow(out, row(object));
  }

  /** The table of the objects as text. */
  public String render(List<? extends Message> objects) {
    java.io.StringWriter sw = new java.io.StringWriter();
    print(objects, new PrintWriter(sw));
    return sw.toString();
  }
}
