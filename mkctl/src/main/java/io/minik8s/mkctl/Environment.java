package io.minik8s.mkctl;

import java.io.InputStream;
import java.time.Clock;
import java.util.function.Function;

/**
 * What mkctl takes from the world outside its arguments: where the api-server is, with the TLS
 * files and bearer token to reach it; how to connect to it (given that {@link Connection}); the
 * time (for ages) and standard input (for {@code -f -}). Tests replace each of them.
 */
public record Environment(
    ServerResolver servers,
    Function<Connection, Cluster> connector,
    Clock clock,
    InputStream stdin) {

  /** The real environment: variables, config file, gRPC, the system clock, System.in. */
  public static Environment system() {
    return new Environment(ServerResolver.system(), GrpcCluster::connect, Clock.systemDefaultZone(), System.in);
  }
}
