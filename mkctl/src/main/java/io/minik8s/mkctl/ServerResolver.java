package io.minik8s.mkctl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where the api-server is, and the bearer token to show it: the {@code --server} flag, else the {@code MKCTL_SERVER}
 * environment variable, else the {@code server:} line of {@code ~/.minik8s/config}, else
 * {@value #DEFAULT}. Each is a comma-separated list of {@code host:port}; the client fails
 * over between them. The environment and the file are read through functions so that tests
 * can supply their own.
 */
public final class ServerResolver {
  public static final String DEFAULT = "127.0.0.1:6443";
  public static final String ENV_VAR = "MKCTL_SERVER";
  public static final String TOKEN_ENV_VAR = "MKCTL_TOKEN";

  private final Function<String, String> env;
  private final Supplier<Optional<String>> configText;

  /**
   * @param env reads an environment variable (null when unset)
   * @param configText the text of the config file, empty when there is none
   */
  public ServerResolver(Function<String, String> env, Supplier<Optional<String>> configText) {
    this.env = env;
    this.configText = configText;
  }

  /** Resolution from the process environment and {@code ~/.minik8s/config}. */
  public static ServerResolver system() {
    Path config = Path.of(System.getProperty("user.home"), ".minik8s", "config");
    return new ServerResolver(System::getenv, () -> readIfPresent(config));
  }

  /** The address list to use, given the {@code --server} flag (null when not given). */
  public String resolve(String flag) {
    if (notBlank(flag)) {
      return flag.trim();
    }
    String fromEnv = env.apply(ENV_VAR);
    if (notBlank(fromEnv)) {
      return fromEnv.trim();
    }
    return configText.get().flatMap(ServerResolver::serverFromConfig).orElse(DEFAULT);
  }

  /**
   * The bearer token to send, given the {@code --token} flag (null when not given): the flag, else
   * {@code $MKCTL_TOKEN}, else the {@code token:} line of the config file; empty: send none.
   */
  public Optional<String> resolveToken(String flag) {
    if (notBlank(flag)) {
      return Optional.of(flag.trim());
    }
    String fromEnv = env.apply(TOKEN_ENV_VAR);
    if (notBlank(fromEnv)) {
      return Optional.of(fromEnv.trim());
    }
    return configText.get().flatMap(text -> valueFromConfig(text, "token"));
  }

  /** The value of the config file's {@code server:} line, if it has one. */
  static Optional<String> serverFromConfig(String text) {
    return valueFromConfig(text, "server");
  }

  /** The value of the config file's {@code KEY:} line, if it has one. */
  static Optional<String> valueFromConfig(String text, String key) {
    for (String raw : text.split("\\R")) {
      String line = raw.strip();
      if (line.startsWith("#") || !line.startsWith(key + ":")) {
        continue;
      }
      String value = line.substring(key.length() + 1);
      int comment = value.indexOf(" #");
      if (comment >= 0) {
        value = value.substring(0, comment);
      }
      value = value.strip();
      if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
          || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1).strip();
      }
      if (!value.isEmpty()) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  static Optional<String> readIfPresent(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
