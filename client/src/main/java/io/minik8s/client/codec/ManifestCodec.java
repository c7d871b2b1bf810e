package io.minik8s.client.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.google.protobuf.Message;
import io.minik8s.api.Object;
import io.minik8s.client.api.KubeObjects;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads and writes API objects as Kubernetes manifests (YAML or JSON), the way kubectl does.
 * Decoding walks SnakeYAML's node tree through the protobuf descriptors, so that every error can
 * name the file, line and field; encoding builds a plain ordered tree and prints it.
 */
public final class ManifestCodec {
  private static final ObjectWriter JSON =
      new ObjectMapper().writer(kubectlJsonStyle()).with(new UnicodeBreakEscapes());

  private ManifestCodec() {}

  /**
   * Every document in a YAML (several documents separated by ---) or JSON text; empty documents
   * are skipped; a document of {@code kind: List} (apiVersion v1) contributes each of its
   * {@code items}. source is a file name used in error messages.
   */
  public static List<Object> parse(String text, String source) throws ManifestException {
    ObjectDecoder decoder = new ObjectDecoder(source);
    List<Object> objects = new ArrayList<>();
    try {
      for (Node document : new Yaml().composeAll(new StringReader(jsonTabsAsSpaces(text)))) {
        if (document != null && !FieldDecoder.isNull(document)) {
          decoder.decode(document, objects);
        }
      }
    } catch (YAMLException e) {
      throw syntaxError(e, source);
    }
    return objects;
  }

  /** One object as a message of its kind (exactly one document expected). */
  public static Message parseOne(String text, String source) throws ManifestException {
    return single(parse(text, source), source);
  }

  /** The reverse of {@link #toTree}, for code that builds objects from maps (errors name the field, line 0). */
  public static Message fromTree(Map<String, ?> tree, String source) throws ManifestException {
    List<Object> objects = new ArrayList<>();
    try {
      new ObjectDecoder(source).decode(TreeNodes.of(tree), objects);
    } catch (YAMLException e) {
      throw syntaxError(e, source);
    }
    return single(objects, source);
  }

  /**
   * The message as an ordered tree of LinkedHashMap / ArrayList / String / Long / Integer /
   * Boolean, as printed by toYaml/toJson. An {@code Object} envelope is printed as what it holds.
   */
  public static Map<String, java.lang.Object> toTree(Message message) {
    return TreeEncoder.message(message instanceof Object envelope ? KubeObjects.unwrap(envelope) : message);
  }

  /** Block style YAML, like {@code kubectl get -o yaml}. */
  public static String toYaml(Message message) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setSplitLines(false);
    return new Yaml(new BlockStrings(options), options).dump(toTree(message));
  }

  /** Pretty JSON with a 4-space indent, like {@code kubectl get -o json}. */
  public static String toJson(Message message) {
    try {
      return JSON.writeValueAsString(toTree(message)) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a tree of maps, lists and scalars always serializes
    }
  }

  private static Message single(List<Object> objects, String source) throws ManifestException {
    if (objects.size() != 1) {
      throw new ManifestException(source, 0, "", "expected exactly one object, found " + objects.size());
    }
    return KubeObjects.unwrap(objects.get(0));
  }

  /**
   * JSON allows tabs between tokens and YAML does not. A tab inside a JSON string must be
   * escaped, so every tab in a JSON text is whitespace. Like Kubernetes, a text is taken for
   * JSON when it starts with a brace.
   */
  private static String jsonTabsAsSpaces(String text) {
    return text.stripLeading().startsWith("{") ? text.replace('\t', ' ') : text;
  }

  private static ManifestException syntaxError(YAMLException e, String source) {
    if (!(e instanceof MarkedYAMLException marked)) {
      return new ManifestException(source, 0, "", "yaml: " + oneLine(e.getMessage()), e);
    }
    Mark problem = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
    Mark context = marked.getContextMark();
    StringBuilder detail = new StringBuilder("yaml: ");
    if (marked.getContext() != null) {
      detail.append(marked.getContext());
      if (context != null && problem != null && context.getLine() != problem.getLine()) {
        detail.append(" (started on line ").append(context.getLine() + 1).append(')');
      }
      detail.append(": ");
    }
    detail.append(marked.getProblem());
    return new ManifestException(source, problem == null ? 0 : problem.getLine() + 1, "",
        oneLine(detail.toString()), e);
  }

  private static String oneLine(String text) {
    return String.valueOf(text).strip().replaceAll("\\s*\\n\\s*", " ");
  }

  private static DefaultPrettyPrinter kubectlJsonStyle() {
    DefaultIndenter indent = new DefaultIndenter("    ", "\n");
    Separators separators = Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
        .withObjectEmptySeparator("")
        .withArrayEmptySeparator("");
    return new DefaultPrettyPrinter(separators).withObjectIndenter(indent).withArrayIndenter(indent);
  }

  /**
   * Escapes NEL, LS and PS in JSON strings (Go's encoder escapes the last two as well): the YAML
   * parser that reads JSON back takes them, raw, for line breaks.
   */
  private static final class UnicodeBreakEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii = standardAsciiEscapesForJSON();

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      boolean lineBreak = ch == 0x85 || ch == 0x2028 || ch == 0x2029;
      return lineBreak ? new SerializedString(String.format("\\u%04x", ch)) : null;
    }
  }

  /**
   * Multi-line text (scripts, config files) prints as a {@code |} block, as kubectl does. Text
   * with a Unicode line break (NEL, LS, PS) is double-quoted: SnakeYAML would otherwise print the
   * break raw, and read it back as the end of a line.
   */
  private static final class BlockStrings extends Representer {
    BlockStrings(DumperOptions options) {
      super(options);
      representers.put(String.class, data -> {
        String text = (String) data;
        if (text.chars().anyMatch(c -> c == '\u0085' || c == '\u2028' || c == '\u2029')) {
          return representScalar(Tag.STR, text, DumperOptions.ScalarStyle.DOUBLE_QUOTED);
        }
        return text.contains("\n")
            ? representScalar(Tag.STR, text, DumperOptions.ScalarStyle.LITERAL)
            : representScalar(Tag.STR, text);
      });
    }
  }
}
