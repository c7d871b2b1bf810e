package io.minik8s.client.printers;

import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.api.KubeObjects;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The columns of one kind's table, in order. Columns marked wide are shown only with
 * {@code -o wide}; they stay in their place (kubectl puts most after AGE, but interleaves some,
 * as events' SUBOBJECT and SOURCE).
 */
public final class KindColumns<T extends Message> {
  /** One column: its header (in capitals) and how to fill it. */
  public record Column<T>(String header, boolean wideOnly, Cell<T> cell) {}

  private final Class<T> type;
  private final List<Column<T>> columns;

  private KindColumns(Class<T> type, List<Column<T>> columns) {
    this.type = type;
    this.columns = List.copyOf(columns);
  }

  public static <T extends Message> Builder<T> of(Class<T> type) {
    return new Builder<>(type);
  }

  public List<String> headers(boolean wide) {
    List<String> out = new ArrayList<>();
    for (Column<T> c : columns) {
      if (wide || !c.wideOnly()) {
        out.add(c.header());
      }
    }
    return out;
  }

  public List<String> cells(Message object, boolean wide, Instant now) {
    T typed = type.cast(object);
    List<String> out = new ArrayList<>();
    for (Column<T> c : columns) {
      if (wide || !c.wideOnly()) {
        out.add(c.cell().value(typed, now));
      }
    }
    return out;
  }

  /** Builds a kind's columns; {@link #name()} and {@link #age()} add the usual ones. */
  public static final class Builder<T extends Message> {
    private final Class<T> type;
    private final List<Column<T>> columns = new ArrayList<>();

    private Builder(Class<T> type) {
      this.type = type;
    }

    public Builder<T> name() {
      return column("NAME", o -> meta(o).getName());
    }

    public Builder<T> age() {
      return column("AGE", (o, now) -> Age.since(meta(o).getCreationTimestamp(), now));
    }

    public Builder<T> column(String header, Function<T, String> cell) {
      return column(header, (o, now) -> cell.apply(o));
    }

    public Builder<T> column(String header, Cell<T> cell) {
      columns.add(new Column<>(header, false, cell));
      return this;
    }

    public Builder<T> wide(String header, Function<T, String> cell) {
      return wide(header, (o, now) -> cell.apply(o));
    }

    public Builder<T> wide(String header, Cell<T> cell) {
      columns.add(new Column<>(header, true, cell));
      return this;
    }

    public KindColumns<T> build() {
      return new KindColumns<>(type, columns);
    }

    private static ObjectMeta meta(Message m) {
      return KubeObjects.meta(m);
    }
  }
}
