package io.minik8s.mkctl;

import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import io.minik8s.client.codec.ManifestCodec;
import io.minik8s.client.codec.ManifestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The {@code -f} arguments of apply, create and delete: files, directories (their
 * {@code .yaml}, {@code .yml} and {@code .json} files, sorted by name) and {@code -} for
 * standard input. Every file is parsed before anything is sent, and a file that does not
 * parse contributes nothing: its error is printed as {@code error: FILE:LINE: field: problem}.
 */
public final class Manifests {
  /** The name kubectl gives standard input in messages. */
  public static final String STDIN = "STDIN";

  /** One object of a manifest and the file it came from. */
  public record Item(String source, Message object) {
    public ResourceType type() {
      return Resources.of(object);
    }
  }

  /** What the files held, and whether any of them could not be read or parsed. */
  public record Loaded(List<Item> items, boolean failed) {}

  private Manifests() {}

  /** Reads and parses every file; errors are printed through {@code ctx} and flagged in the result. */
  public static Loaded load(MkctlContext ctx, List<String> args, boolean recursive) {
    List<Item> items = new ArrayList<>();
    boolean failed = false;
    for (String arg : args) {
      if (arg.equals("-")) {
        failed |= !parse(ctx, STDIN, readStdin(ctx), items);
        continue;
      }
      Path path = Path.of(arg);
      if (!Files.exists(path)) {
        ctx.error("the path \"" + arg + "\" does not exist");
        failed = true;
        continue;
      }
      List<Path> files = Files.isDirectory(path) ? manifestFiles(path, recursive) : List.of(path);
      for (Path f : files) {
        String text;
        try {
          text = Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
          ctx.error("cannot read \"" + f + "\": " + e.getMessage());
          failed = true;
          continue;
        }
        failed |= !parse(ctx, f.toString(), text, items);
      }
    }
    return new Loaded(items, failed);
  }

  private static boolean parse(MkctlContext ctx, String source, String text, List<Item> into) {
    try {
      for (io.minik8s.api.Object o : ManifestCodec.parse(text, source)) {
        into.add(new Item(source, KubeObjects.unwrap(o)));
      }
      return true;
    } catch (ManifestException e) {
      // The message already reads FILE:LINE: field: problem.
      ctx.error(e.getMessage());
      return false;
    }
  }

  private static String readStdin(MkctlContext ctx) {
    try {
      return new String(ctx.env().stdin().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
    }
  }

  /** The manifest files of a directory (and its subdirectories if recursive), sorted. */
  static List<Path> manifestFiles(Path dir, boolean recursive) {
    try (Stream<Path> s = recursive ? Files.walk(dir) : Files.list(dir)) {
      return s.filter(Files::isRegularFile).filter(Manifests::isManifest).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list \"" + dir + "\": " + e.getMessage(), e);
    }
  }

  static boolean isManifest(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  /**
   * The object placed in its namespace: its own, else {@code -n}, else {@code default}; for a
   * cluster-scoped kind, none. An object whose namespace differs from an explicit {@code -n}
   * is refused, as kubectl does.
   */
  public static Message inNamespace(Message object, MkctlContext ctx) {
    ResourceType type = Resources.of(object);
    ObjectMeta meta = KubeObjects.meta(object);
    if (!type.namespaced()) {
      return meta.getNamespace().isEmpty() ? object : KubeObjects.withMeta(object, meta.toBuilder().clearNamespace().build());
    }
    if (meta.getNamespace().isEmpty()) {
      return KubeObjects.withMeta(object, meta.toBuilder().setNamespace(ctx.namespace()).build());
    }
    if (ctx.namespaceExplicit() && !meta.getNamespace().equals(ctx.namespace())) {
      throw new MkctlException("the namespace from the provided object \"" + meta.getNamespace()
          + "\" does not match the namespace \"" + ctx.namespace() + "\". You must pass '--namespace="
          + meta.getNamespace() + "' to perform this operation.");
    }
    return object;
  }
}
