package io.minik8s.mkctl;

import io.minik8s.client.tls.ClientTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where the api-server is: the {@code --server} flag, else the {@code MKCTL_SERVER}
 * environment variable, else the {@code server:} line of the config file ({@code $MKCTL_CONFIG},
 * else {@code ~/.minik8s/config}), else {@value #DEFAULT}. Each is a comma-separated list of
 * {@code host:port}; the client fails over between them. And how to reach it ({@link #tls}):
 * the flags {@code --certificate-authority}, {@code --client-certificate}, {@code --client-key},
 * else the config file's lines of the same names (kubeconfig's), relative paths being relative to
 * the file's folder; plain text only with {@code --insecure-plaintext} (flag or
 * {@code insecure-plaintext: true}). And the bearer token to show it ({@link #resolveToken}), if
 * any. The environment and the file are read through functions so that tests can supply their own.
 */
public final class ServerResolver {
  public static final String DEFAULT = "127.0.0.1:6443";
  public static final String ENV_VAR = "MKCTL_SERVER";
  public static final String TOKEN_ENV_VAR = "MKCTL_TOKEN";
  public static final String CONFIG_ENV_VAR = "MKCTL_CONFIG";

  /** The TLS flags of one run (null when not given). */
  public record TlsFlags(Path certificateAuthority, Path clientCertificate, Path clientKey, boolean insecurePlaintext) {
    public static final TlsFlags NONE = new TlsFlags(null, null, null, false);
  }

  private final Function<String, String> env;
  private final Supplier<Optional<String>> configText;
  private final Path configDir;

  /**
   * @param env reads an environment variable (null when unset)
   * @param configText the text of the config file, empty when there is none
   */
  public ServerResolver(Function<String, String> env, Supplier<Optional<String>> configText) {
    this(env, configText, Path.of("."));
  }

  /** @param configDir what relative paths in the config file are relative to */
  public ServerResolver(Function<String, String> env, Supplier<Optional<String>> configText, Path configDir) {
    this.env = env;
    this.configText = configText;
    this.configDir = configDir;
  }

  /** Resolution from the process environment and {@code $MKCTL_CONFIG} or {@code ~/.minik8s/config}. */
  public static ServerResolver system() {
    String named = System.getenv(CONFIG_ENV_VAR);
    Path config = named != null && !named.isBlank() ? Path.of(named)
        : Path.of(System.getProperty("user.home"), ".minik8s", "config");
    Path dir = config.toAbsolutePath().getParent();
    return new ServerResolver(System::getenv, () -> readIfPresent(config), dir);
  }

  /** The TLS settings: each flag, else the config file's line; mutual TLS unless plain text is asked for. */
  public ClientTls tls(TlsFlags flags) {
    Optional<String> text = configText.get();
    boolean plaintext = flags.insecurePlaintext()
        || text.flatMap(t -> valueFromConfig(t, "insecure-plaintext")).map(Boolean::parseBoolean).orElse(false);
    Path ca = pick(flags.certificateAuthority(), text, "certificate-authority");
    Path cert = pick(flags.clientCertificate(), text, "client-certificate");
    Path key = pick(flags.clientKey(), text, "client-key");
    if (plaintext) {
      return ClientTls.plaintext();
    }
    if (ca == null) {
      throw new IllegalArgumentException("no certificate-authority: mkctl talks TLS to the api-server. Set "
          + "certificate-authority, client-certificate and client-key in the config file (bin/minik8s up writes one: "
          + "export " + CONFIG_ENV_VAR + "=run/admin.conf), or pass --certificate-authority, --client-certificate and "
          + "--client-key, or --insecure-plaintext for an api-server in plain text");
    }
    if (cert == null && key == null) {
      return ClientTls.serverOnly(ca);
    }
    if (cert == null || key == null) {
      throw new IllegalArgumentException("client-certificate and client-key go together: only "
          + (cert == null ? "client-key" : "client-certificate") + " is set");
    }
    return ClientTls.mutual(ca, cert, key);
  }

  private Path pick(Path flag, Optional<String> text, String key) {
    if (flag != null) {
      return flag;
    }
    return text.flatMap(t -> valueFromConfig(t, key)).map(v -> configDir.resolve(v)).orElse(null);
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
