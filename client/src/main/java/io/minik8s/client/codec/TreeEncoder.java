package io.minik8s.client.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.minik8s.api.IntOrString;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a message into the plain tree kubectl would print: JSON names in declaration order,
 * presence-less zero values and empty lists or maps left out, but fields with presence printed
 * whenever set, so that {@code replicas: 0} and {@code emptyDir: {}} survive a round trip.
 */
final class TreeEncoder {
  private static final double EXACT_LONG = 0x1p53;

  private TreeEncoder() {}

  static Map<String, java.lang.Object> message(Message message) {
    Map<String, java.lang.Object> tree = new LinkedHashMap<>();
    for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
      if (field.isMapField()) {
        Map<String, java.lang.Object> map = map(message, field);
        if (!map.isEmpty()) {
          tree.put(field.getJsonName(), map);
        }
      } else if (field.isRepeated()) {
        List<java.lang.Object> list = new ArrayList<>();
        for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
          list.add(value(field, message.getRepeatedField(field, i)));
        }
        if (!list.isEmpty()) {
          tree.put(field.getJsonName(), list);
        }
      } else if (message.hasField(field)) { // proto3 answers "non-zero" for fields without presence
        tree.put(field.getJsonName(), value(field, message.getField(field)));
      }
    }
    return tree;
  }

  /** Keys sorted, as Go prints maps; protobuf keeps no meaningful order for them anyway. */
  private static Map<String, java.lang.Object> map(Message message, FieldDescriptor field) {
    FieldDescriptor keyField = field.getMessageType().findFieldByNumber(1);
    FieldDescriptor valueField = field.getMessageType().findFieldByNumber(2);
    Map<String, java.lang.Object> sorted = new TreeMap<>();
    for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
      Message pair = (Message) message.getRepeatedField(field, i);
      sorted.put(String.valueOf(value(keyField, pair.getField(keyField))),
          value(valueField, pair.getField(valueField)));
    }
    return new LinkedHashMap<>(sorted);
  }

  private static java.lang.Object value(FieldDescriptor field, java.lang.Object value) {
    return switch (field.getType()) {
      case MESSAGE, GROUP -> messageValue((Message) value);
      case ENUM -> ((EnumValueDescriptor) value).getName();
      case BYTES -> Base64.getEncoder().encodeToString(((ByteString) value).toByteArray());
      case UINT32, FIXED32 -> Integer.toUnsignedLong((Integer) value);
      case UINT64, FIXED64 -> (Long) value >= 0 ? value : new BigInteger(Long.toUnsignedString((Long) value));
      default -> value; // Integer, Long, Float, Double, Boolean, String
    };
  }

  private static java.lang.Object messageValue(Message message) {
    if (message instanceof IntOrString intOrString) {
      // An unset IntOrString is Kubernetes' zero value: the int 0.
      return intOrString.hasStrVal() ? intOrString.getStrVal() : Integer.valueOf(intOrString.getIntVal());
    } else if (message instanceof Struct struct) {
      return struct(struct);
    } else if (message instanceof Value value) {
      return structValue(value);
    } else if (message instanceof ListValue list) {
      return list(list);
    }
    return message(message);
  }

  private static Map<String, java.lang.Object> struct(Struct struct) {
    Map<String, java.lang.Object> sorted = new TreeMap<>();
    struct.getFieldsMap().forEach((k, v) -> sorted.put(k, structValue(v)));
    return new LinkedHashMap<>(sorted);
  }

  private static List<java.lang.Object> list(ListValue list) {
    List<java.lang.Object> out = new ArrayList<>();
    list.getValuesList().forEach(v -> out.add(structValue(v)));
    return out;
  }

  private static java.lang.Object structValue(Value value) {
    return switch (value.getKindCase()) {
      case NULL_VALUE, KIND_NOT_SET -> null;
      case BOOL_VALUE -> value.getBoolValue();
      case STRING_VALUE -> value.getStringValue();
      case STRUCT_VALUE -> struct(value.getStructValue());
      case LIST_VALUE -> list(value.getListValue());
      case NUMBER_VALUE -> number(value.getNumberValue());
    };
  }

  /** Struct keeps every number as a double; whole ones print as integers, as they were written. */
  private static java.lang.Object number(double d) {
    boolean whole = d == Math.rint(d) && Math.abs(d) <= EXACT_LONG;
    return whole ? (java.lang.Object) Long.valueOf((long) d) : (java.lang.Object) Double.valueOf(d);
  }
}
