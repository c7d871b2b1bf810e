package io.minik8s.client.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Dresses a plain Java tree as YAML nodes, so that maps built in code go through the same
 * decoder, with the same checks and messages, as text does. The nodes have no position: their
 * errors report line 0.
 */
final class TreeNodes {
  private TreeNodes() {}

  static Node of(java.lang.Object value) {
    if (value instanceof Map<?, ?> map) {
      List<NodeTuple> entries = new ArrayList<>();
      map.forEach((k, v) -> entries.add(new NodeTuple(of(k), of(v))));
      return new MappingNode(Tag.MAP, entries, FlowStyle.BLOCK);
    } else if (value instanceof Collection<?> items) {
      List<Node> nodes = new ArrayList<>();
      items.forEach(item -> nodes.add(of(item)));
      return new SequenceNode(Tag.SEQ, nodes, FlowStyle.BLOCK);
    } else if (value == null) {
      return scalar(Tag.NULL, "null");
    } else if (value instanceof String text) {
      return scalar(Tag.STR, text);
    } else if (value instanceof Boolean) {
      return scalar(Tag.BOOL, value.toString());
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte || value instanceof BigInteger) {
      return scalar(Tag.INT, value.toString());
    } else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      return scalar(Tag.FLOAT, floatText(((Number) value).doubleValue()));
    }
    // Left for the decoder to refuse, naming the field: "expected a string, got !java.util.Date ...".
    return scalar(new Tag("!" + value.getClass().getName()), value.toString());
  }

  /** In YAML's spelling, which SnakeYAML reads back. */
  private static String floatText(double d) {
    if (Double.isNaN(d)) {
      return ".nan";
    } else if (Double.isInfinite(d)) {
      return d > 0 ? ".inf" : "-.inf";
    }
    return Double.toString(d);
  }

  private static ScalarNode scalar(Tag tag, String text) {
    return new ScalarNode(tag, text, null, null, ScalarStyle.PLAIN);
  }
}
