package io.minik8s.client.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor.JavaType;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.minik8s.api.IntOrString;
import java.math.BigInteger;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Fills protobuf messages from YAML nodes, field by field through the descriptors, with the
 * rules of Kubernetes' strict decoder: a key must name a field (by its JSON name), a value must
 * have the field's type, and null means "not set". Working on nodes rather than on loaded maps
 * keeps every value's line for the error message.
 */
final class FieldDecoder {
  private static final Map<Descriptor, Map<String, FieldDescriptor>> JSON_NAMES = new ConcurrentHashMap<>();
  private static final Resolver RESOLVER = new Resolver();
  /** Far deeper than any real object; an alias to its own ancestor would otherwise recurse forever. */
  private static final int MAX_DEPTH = 1000;

  private final String source;
  private final YamlScalars scalars = new YamlScalars();

  FieldDecoder(String source) {
    this.source = source;
  }

  void readMessage(Node node, Message.Builder builder, FieldPath at) throws ManifestException {
    Map<String, FieldDescriptor> fields = jsonNames(builder.getDescriptorForType());
    for (NodeTuple entry : entries(node, at)) {
      String name = keyText(entry);
      FieldPath here = at.field(name);
      FieldDescriptor field = fields.get(name);
      if (field == null) {
        // Dropping it would silently lose what the user meant (a typo such as "replica").
        throw error(entry.getKeyNode(), here, "unknown field \"" + name + "\" in " + at.described());
      }
      Node value = entry.getValueNode();
      if (isNull(value)) {
        continue;
      }
      if (field.isMapField()) {
        readMap(value, builder, field, here);
      } else if (field.isRepeated()) {
        List<Node> items = sequence(value, here);
        for (int i = 0; i < items.size(); i++) {
          builder.addRepeatedField(field, readValue(items.get(i), builder, field, here.index(i)));
        }
      } else {
        builder.setField(field, readValue(value, builder, field, here));
      }
    }
  }

  private java.lang.Object readValue(Node node, Message.Builder parent, FieldDescriptor field, FieldPath at)
      throws ManifestException {
    return switch (field.getJavaType()) {
      case MESSAGE -> readMessageValue(node, parent.newBuilderForField(field), at);
      case STRING -> string(node, at);
      case BOOLEAN -> bool(node, at);
      case INT -> Integer.valueOf((int) integer(node, field.getType(), at));
      case LONG -> Long.valueOf(integer(node, field.getType(), at));
      case FLOAT -> Float.valueOf((float) number(node, at));
      case DOUBLE -> Double.valueOf(number(node, at));
      case ENUM -> enumValue(node, field.getEnumType(), at);
      case BYTE_STRING -> bytes(node, at);
    };
  }

  /** Messages that Kubernetes writes as plain values get their own readers. */
  private Message readMessageValue(Node node, Message.Builder builder, FieldPath at) throws ManifestException {
    Descriptor type = builder.getDescriptorForType();
    if (type == IntOrString.getDescriptor()) {
      return intOrString(node, at);
    } else if (type == Struct.getDescriptor()) {
      return struct(node, at);
    } else if (type == Value.getDescriptor()) {
      return value(node, at);
    } else if (type == ListValue.getDescriptor()) {
      return list(node, at);
    }
    readMessage(node, builder, at);
    return builder.build();
  }

  private void readMap(Node node, Message.Builder builder, FieldDescriptor field, FieldPath at)
      throws ManifestException {
    FieldDescriptor keyField = field.getMessageType().findFieldByNumber(1);
    FieldDescriptor valueField = field.getMessageType().findFieldByNumber(2);
    for (NodeTuple entry : entries(node, at)) {
      FieldPath here = at.key(keyText(entry));
      Message.Builder pair = builder.newBuilderForField(field);
      pair.setField(keyField, mapKey(entry, pair, keyField, here));
      Node value = entry.getValueNode();
      // A null value keeps the key with a zero value, as Go does for a map element.
      if (!isNull(value)) {
        // Kubernetes takes any scalar in a string map (labels, resources: "cpu: 1" is fine).
        pair.setField(valueField, valueField.getJavaType() == JavaType.STRING
            ? scalarText(value, here) : readValue(value, pair, valueField, here));
      }
      builder.addRepeatedField(field, pair.build());
    }
  }

  private java.lang.Object mapKey(NodeTuple entry, Message.Builder pair, FieldDescriptor keyField, FieldPath at)
      throws ManifestException {
    String text = keyText(entry);
    if (keyField.getJavaType() == JavaType.STRING) {
      return text;
    }
    // JSON quotes every key, so an int or bool key is read from its text, not its quoting.
    Node key = entry.getKeyNode();
    Tag tag = RESOLVER.resolve(NodeId.scalar, text, true);
    return readValue(new ScalarNode(tag, text, key.getStartMark(), key.getEndMark(), ScalarStyle.PLAIN),
        pair, keyField, at);
  }

  /** {@code port: 8080} is a number, {@code port: http} or {@code maxSurge: "25%"} a string. */
  private IntOrString intOrString(Node node, FieldPath at) throws ManifestException {
    if (hasTag(node, Tag.INT)) {
      return IntOrString.newBuilder().setIntVal((int) integer(node, FieldDescriptor.Type.INT32, at)).build();
    } else if (isText(node)) {
      return IntOrString.newBuilder().setStrVal(((ScalarNode) node).getValue()).build();
    }
    throw typeError(node, at, "an integer or a string");
  }

  private Struct struct(Node node, FieldPath at) throws ManifestException {
    Struct.Builder struct = Struct.newBuilder();
    for (NodeTuple entry : entries(node, at)) {
      String key = keyText(entry);
      struct.putFields(key, value(entry.getValueNode(), at.field(key)));
    }
    return struct.build();
  }

  private ListValue list(Node node, FieldPath at) throws ManifestException {
    ListValue.Builder list = ListValue.newBuilder();
    List<Node> items = sequence(node, at);
    for (int i = 0; i < items.size(); i++) {
      list.addValues(value(items.get(i), at.index(i)));
    }
    return list.build();
  }

  /** Free-form data keeps what YAML says, null included: there is no schema to check it against. */
  private Value value(Node node, FieldPath at) throws ManifestException {
    Value.Builder value = Value.newBuilder();
    if (node instanceof MappingNode) {
      value.setStructValue(struct(node, at));
    } else if (node instanceof SequenceNode) {
      value.setListValue(list(node, at));
    } else if (isNull(node)) {
      value.setNullValue(NullValue.NULL_VALUE);
    } else if (hasTag(node, Tag.BOOL)) {
      value.setBoolValue(bool(node, at));
    } else if (hasTag(node, Tag.INT) || hasTag(node, Tag.FLOAT)) {
      value.setNumberValue(number(node, at));
    } else {
      value.setStringValue(((ScalarNode) node).getValue());
    }
    return value.build();
  }

  String string(Node node, FieldPath at) throws ManifestException {
    // Like Kubernetes, no number or bool for a string field ("image: 5" is a mistake, not "5").
    if (isText(node)) {
      return ((ScalarNode) node).getValue();
    }
    throw typeError(node, at, "a string");
  }

  private String scalarText(Node node, FieldPath at) throws ManifestException {
    if (node instanceof ScalarNode scalar) {
      return scalar.getValue();
    }
    throw typeError(node, at, "a string");
  }

  private Boolean bool(Node node, FieldPath at) throws ManifestException {
    if (hasTag(node, Tag.BOOL)) {
      return (Boolean) resolved(node, at);
    }
    throw typeError(node, at, "a boolean");
  }

  private long integer(Node node, FieldDescriptor.Type type, FieldPath at) throws ManifestException {
    if (!hasTag(node, Tag.INT)) {
      throw typeError(node, at, "an integer");
    }
    BigInteger value = new BigInteger(resolved(node, at).toString());
    BigInteger min = BigInteger.valueOf(Long.MIN_VALUE);
    BigInteger max = BigInteger.valueOf(Long.MAX_VALUE);
    switch (type) {
      case INT32, SINT32, SFIXED32 -> {
        min = BigInteger.valueOf(Integer.MIN_VALUE);
        max = BigInteger.valueOf(Integer.MAX_VALUE);
      }
      case UINT32, FIXED32 -> {
        min = BigInteger.ZERO;
        max = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
      }
      case UINT64, FIXED64 -> {
        min = BigInteger.ZERO;
        max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
      }
      default -> { }
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw error(node, at, "invalid value: " + value + " is out of range for "
          + type.name().toLowerCase(Locale.ROOT));
    }
    return value.longValue(); // unsigned values keep their bits, as protobuf stores them
  }

  private double number(Node node, FieldPath at) throws ManifestException {
    if (hasTag(node, Tag.INT) || hasTag(node, Tag.FLOAT)) {
      return ((Number) resolved(node, at)).doubleValue();
    }
    throw typeError(node, at, "a number");
  }

  private EnumValueDescriptor enumValue(Node node, EnumDescriptor type, FieldPath at) throws ManifestException {
    EnumValueDescriptor value = type.findValueByName(string(node, at));
    if (value == null) {
      throw error(node, at, "invalid value " + describe(node) + " for " + type.getName());
    }
    return value;
  }

  private ByteString bytes(Node node, FieldPath at) throws ManifestException {
    try {
      return ByteString.copyFrom(Base64.getDecoder().decode(string(node, at)));
    } catch (IllegalArgumentException e) {
      throw error(node, at, "invalid value: not base64: " + describe(node));
    }
  }

  /** The entries of a mapping, after the checks every mapping needs. */
  List<NodeTuple> entries(Node node, FieldPath at) throws ManifestException {
    checkDepth(node, at);
    if (!(node instanceof MappingNode map)) {
      throw typeError(node, at, "a map");
    }
    Set<String> seen = new HashSet<>();
    for (NodeTuple entry : map.getValue()) {
      Node key = entry.getKeyNode();
      if (key.getTag().equals(Tag.MERGE)) {
        continue;
      }
      if (!(key instanceof ScalarNode scalar)) {
        throw error(key, at, "invalid key: expected a string, got " + describe(key));
      }
      // A second value for the same key would otherwise quietly replace the first.
      if (!seen.add(scalar.getValue())) {
        throw error(key, at.field(scalar.getValue()), "duplicate field \"" + scalar.getValue() + "\"");
      }
    }
    if (map.isMerged()) {
      scalars.flatten(map);
    }
    return map.getValue();
  }

  List<Node> sequence(Node node, FieldPath at) throws ManifestException {
    checkDepth(node, at);
    if (node instanceof SequenceNode list) {
      return list.getValue();
    }
    throw typeError(node, at, "a list");
  }

  private void checkDepth(Node node, FieldPath at) throws ManifestException {
    if (at.depth() > MAX_DEPTH) {
      throw error(node, FieldPath.of(at.root()), "nested more than " + MAX_DEPTH + " levels deep (a recursive alias?)");
    }
  }

  private java.lang.Object resolved(Node node, FieldPath at) throws ManifestException {
    try {
      return scalars.value((ScalarNode) node);
    } catch (RuntimeException e) { // an explicit tag on a bad value, such as !!int abc
      throw error(node, at, "invalid value " + describe(node));
    }
  }

  ManifestException error(Node node, FieldPath at, String detail) {
    int line = node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    return new ManifestException(source, line, at.path(), detail);
  }

  private ManifestException typeError(Node node, FieldPath at, String expected) {
    return error(node, at, "invalid type: expected " + expected + ", got " + describe(node));
  }

  static String keyText(NodeTuple entry) {
    return ((ScalarNode) entry.getKeyNode()).getValue();
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
  }

  private static boolean hasTag(Node node, Tag tag) {
    return node instanceof ScalarNode && node.getTag().equals(tag);
  }

  /** Quoted or plain text; an unquoted date is still text to Kubernetes. */
  private static boolean isText(Node node) {
    return hasTag(node, Tag.STR) || hasTag(node, Tag.TIMESTAMP);
  }

  static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a map";
    } else if (node instanceof SequenceNode) {
      return "a list";
    }
    String text = ((ScalarNode) node).getValue();
    if (isText(node)) {
      return "\"" + text + "\"";
    } else if (isNull(node)) {
      return "null";
    }
    boolean standard = node.getTag().getValue().startsWith(Tag.PREFIX);
    return standard ? text : node.getTag().getValue() + " " + text;
  }

  private static Map<String, FieldDescriptor> jsonNames(Descriptor type) {
    return JSON_NAMES.computeIfAbsent(type, t -> {
      Map<String, FieldDescriptor> byName = new java.util.HashMap<>();
      for (FieldDescriptor f : t.getFields()) {
        byName.put(f.getJsonName(), f);
      }
      return byName;
    });
  }
}
