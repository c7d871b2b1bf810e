package io.minik8s.e2e.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository the docs describe: its root, its modules, their sources and the Markdown files. */
final class Repo {
  /** Every Maven module, in the order the docs present them. */
  static final List<String> MODULES = List.of("proto", "client", "api-server", "controller-manager", "scheduler",
      "kubelet", "kube-proxy", "mkctl", "e2e", "bench");

  private Repo() {}

  /** The repository's root: surefire runs a module's tests in the module's directory. */
  static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("docs"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }

  /** The main Java sources of every module, as paths relative to the root, sorted. */
  static List<Path> mainSources(Path root) {
    return MODULES.stream()
        .map(m -> root.resolve(m).resolve("src/main/java"))
        .filter(Files::isDirectory)
        .flatMap(Repo::walk)
        .filter(p -> p.toString().endsWith(".java"))
        .map(root::relativize)
        .sorted()
        .toList();
  }

  /** The Markdown files whose links are checked: docs/*.md, the root README and each module's. */
  static List<Path> markdownFiles(Path root) {
    Stream<Path> docs = walk(root.resolve("docs")).filter(p -> p.toString().endsWith(".md"));
    Stream<Path> readmes = Stream.concat(Stream.of("."), MODULES.stream())
        .map(m -> root.resolve(m).resolve("README.md").normalize())
        .filter(Files::isRegularFile);
    return Stream.concat(docs, readmes).map(root::relativize).sorted().toList();
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<Path> walk(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
