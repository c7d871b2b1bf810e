package io.minik8s.mkctl;

import io.grpc.StatusRuntimeException;
import io.minik8s.client.api.ResourceType;
import java.io.PrintWriter;
import java.time.Clock;

/**
 * What one run of a command works with: the output streams, the namespace, and the
 * connection to the api-server, opened on first use and closed at the end. It also prints
 * errors the way kubectl does.
 */
public final class MkctlContext implements AutoCloseable {
  public static final String DEFAULT_NAMESPACE = "default";

  private final Environment env;
  private final PrintWriter out;
  private final PrintWriter err;
  private final String serverFlag;
  private final String namespaceFlag;
  private final ServerResolver.TlsFlags tlsFlags;
  private final String tokenFlag;
  private Cluster cluster;
  private String servers;

  public MkctlContext(Environment env, PrintWriter out, PrintWriter err, String serverFlag, String namespaceFlag,
      ServerResolver.TlsFlags tlsFlags, String tokenFlag) {
    this.env = env;
    this.tokenFlag = tokenFlag;
    this.out = out;
    this.err = err;
    this.serverFlag = serverFlag;
    this.namespaceFlag = namespaceFlag;
    this.tlsFlags = tlsFlags;
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  public Clock clock() {
    return env.clock();
  }

  public Environment env() {
    return env;
  }

  /** The api-server addresses this run talks to. */
  public String servers() {
    if (servers == null) {
      servers = env.servers().resolve(serverFlag);
    }
    return servers;
  }

  /** The addresses, the TLS files and the bearer token this run uses. */
  public Connection connection() {
    return new Connection(servers(), env.servers().tls(tlsFlags), env.servers().resolveToken(tokenFlag).orElse(null));
  }

  /** The connection, opened on first use. */
  public Cluster cluster() {
    if (cluster == null) {
      cluster = env.connector().apply(connection());
    }
    return cluster;
  }

  /** The namespace of {@code -n}, else {@value #DEFAULT_NAMESPACE}. */
  public String namespace() {
    return namespaceExplicit() ? namespaceFlag : DEFAULT_NAMESPACE;
  }

  /** Whether {@code -n} was given. */
  public boolean namespaceExplicit() {
    return namespaceFlag != null && !namespaceFlag.isEmpty();
  }

  /** The namespace to send for a type: the given one, or "" for a cluster-scoped kind. */
  public static String scoped(ResourceType type, String namespace) {
    return type.namespaced() ? namespace : "";
  }

  /** Prints {@code error: MESSAGE} on stderr. */
  public void error(String message) {
    err.println("error: " + message);
    err.flush();
  }

  /** Prints a failed call as kubectl does ({@code Error from server (NotFound): ...}). */
  public void error(StatusRuntimeException e) {
    error(e, "");
  }

  /** Like {@link #error(StatusRuntimeException)} with context before the server's message. */
  public void error(StatusRuntimeException e, String context) {
    err.println(Errors.describe(e, servers(), context));
    err.flush();
  }

  @Override
  public void close() {
    out.flush();
    err.flush();
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }
}
