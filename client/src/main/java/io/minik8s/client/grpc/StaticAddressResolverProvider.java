package io.minik8s.client.grpc;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves {@code minik8s:///host1:port1,host2:port2} to a fixed list of addresses. With gRPC's
 * pick_first policy the channel then talks to the first api-server that answers and moves on to
 * the next when it goes away: endpoint failover without a load balancer in front. Each address
 * carries its own authority (its {@code host:port}), so that over TLS the certificate of each
 * api-server is checked against the address dialled, not against one name for all of them.
 */
public final class StaticAddressResolverProvider extends NameResolverProvider {
  public static final String SCHEME = "minik8s";

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!SCHEME.equals(targetUri.getScheme())) {
      return null;
    }
    String spec = targetUri.getPath().startsWith("/") ? targetUri.getPath().substring(1) : targetUri.getPath();
    List<EquivalentAddressGroup> groups = new ArrayList<>();
    for (String hostPort : spec.split(",")) {
      String address = hostPort.trim();
      groups.add(new EquivalentAddressGroup(parse(address),
          Attributes.newBuilder().set(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE, address).build()));
    }
    return new NameResolver() {
      @Override
      public String getServiceAuthority() {
        return "api-server";
      }

      @Override
      public void start(Listener2 listener) {
        listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
      }

      @Override
      public void shutdown() {}
    };
  }

  static SocketAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw Status.INVALID_ARGUMENT.withDescription("server address must be host:port: " + hostPort).asRuntimeException();
    }
    return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }
}
