package io.minik8s.client.codec;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * SnakeYAML's own reading of scalars and merge keys, borrowed so that the decoder accepts every
 * YAML 1.1 spelling ({@code 0x1F}, {@code 1_000}, {@code yes}, {@code <<: *defaults}) exactly as
 * the parser resolved it, instead of re-implementing those rules. Not thread-safe: one per
 * decoding run.
 */
final class YamlScalars extends SafeConstructor {
  YamlScalars() {
    super(new LoaderOptions());
  }

  /** The Java value of an int, float or bool scalar: Integer/Long/BigInteger, Double, Boolean. */
  java.lang.Object value(ScalarNode node) {
    return constructObject(node);
  }

  /** Replaces {@code <<} merge keys by the entries they pull in; explicit keys win. */
  void flatten(MappingNode node) {
    flattenMapping(node);
  }
}
