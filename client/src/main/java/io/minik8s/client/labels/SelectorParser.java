package io.minik8s.client.labels;

import java.util.ArrayList;
import java.util.List;

/** A small hand-written parser for the string form of label selectors. */
final class SelectorParser {
  private final String text;
  private int pos;

  SelectorParser(String text) {
    this.text = text;
  }

  List<Requirement> parse() {
    List<Requirement> out = new ArrayList<>();
    while (true) {
      skipSpaces();
      out.add(requirement());
      skipSpaces();
      if (pos >= text.length()) {
        return out;
      }
      expect(',');
    }
  }

  private Requirement requirement() {
    if (peek() == '!') {
      pos++;
      skipSpaces();
      return new Requirement(key(), Requirement.Operator.DOES_NOT_EXIST, List.of());
    }
    String key = key();
    skipSpaces();
    if (pos >= text.length() || peek() == ',') {
      return new Requirement(key, Requirement.Operator.EXISTS, List.of());
    }
    if (text.startsWith("!=", pos)) {
      pos += 2;
      return new Requirement(key, Requirement.Operator.NOT_EQUALS, List.of(value()));
    }
    if (text.startsWith("==", pos)) {
      pos += 2;
      return new Requirement(key, Requirement.Operator.EQUALS, List.of(value()));
    }
    if (peek() == '=') {
      pos++;
      return new Requirement(key, Requirement.Operator.EQUALS, List.of(value()));
    }
    String word = word();
    Requirement.Operator op = switch (word) {
      case "in" -> Requirement.Operator.IN;
      case "notin" -> Requirement.Operator.NOT_IN;
      default -> throw error("unknown operator \"" + word + "\"");
    };
    skipSpaces();
    expect('(');
    List<String> values = new ArrayList<>();
    while (true) {
      skipSpaces();
      if (peek() == ')') {
        pos++;
        break;
      }
      values.add(value());
      skipSpaces();
      if (peek() == ',') {
        pos++;
      } else {
        expect(')');
        break;
      }
    }
    return new Requirement(key, op, values);
  }

  private String key() {
    String k = word();
    if (k.isEmpty()) {
      throw error("expected a label key");
    }
    return k;
  }

  private String value() {
    skipSpaces();
    return word();
  }

  private String word() {
    int start = pos;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '/') {
        pos++;
      } else {
        break;
      }
    }
    return text.substring(start, pos);
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private void skipSpaces() {
    while (pos < text.length() && text.charAt(pos) == ' ') {
      pos++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(
        "unable to parse requirement: " + what + " at position " + pos + " in \"" + text + "\"");
  }
}
