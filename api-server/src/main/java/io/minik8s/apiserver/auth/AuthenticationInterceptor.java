package io.minik8s.apiserver.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication of every call (Kubernetes' filters.WithAuthentication and its union of
 * authenticators): the authenticators are asked in order, the first that knows the caller wins,
 * and the user, with the group {@code system:authenticated} added, goes into the call's
 * {@link Context} under {@link UserInfo#KEY}. A call no authenticator knows is closed with
 * UNAUTHENTICATED "Unauthorized", Kubernetes' 401, before the API sees it.
 *
 * <p>With no authenticator configured the api-server is in development mode: every caller is
 * {@code system:unsecured} in {@code system:masters}, as on Kubernetes' old insecure port.
 */
public final class AuthenticationInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(AuthenticationInterceptor.class);
  /** Who every caller is in development mode. */
  public static final UserInfo UNSECURED =
      new UserInfo("system:unsecured", List.of(UserInfo.MASTERS, UserInfo.AUTHENTICATED));

  private final List<Authenticator> authenticators;
  private final MeterRegistry metrics;

  public AuthenticationInterceptor(List<Authenticator> authenticators, MeterRegistry metrics) {
    this.authenticators = List.copyOf(authenticators);
    this.metrics = metrics;
    if (authenticators.isEmpty()) {
      log.warn("no authentication configured (--token-auth-file): every caller is an admin in system:masters; "
          + "development only");
    }
  }

  /** Whether no authenticator is configured: everyone is an admin. */
  public boolean devMode() {
    return authenticators.isEmpty();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                     ServerCallHandler<Q, R> next) {
    Optional<UserInfo> user = authenticate(Credentials.of(call, headers));
    if (user.isEmpty()) {
      call.close(Status.UNAUTHENTICATED.withDescription("Unauthorized"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(UserInfo.KEY, user.get()), call, headers, next);
  }

  /**
   * Who sends a request, gRPC or REST: the first authenticator that knows it, with
   * {@code system:authenticated} added; {@link #UNSECURED} in development mode; empty (counted)
   * when no one does, which the caller answers with 401 Unauthorized.
   */
  public Optional<UserInfo> authenticate(Credentials credentials) {
    if (devMode()) {
      return Optional.of(UNSECURED);
    }
    for (Authenticator a : authenticators) {
      Optional<UserInfo> u = a.authenticate(credentials);
      if (u.isPresent()) {
        return Optional.of(withAuthenticatedGroup(u.get()));
      }
    }
    metrics.counter("apiserver_authentication_failures_total").increment();
    return Optional.empty();
  }

  static UserInfo withAuthenticatedGroup(UserInfo u) {
    if (u.groups().contains(UserInfo.AUTHENTICATED)) {
      return u;
    }
    List<String> groups = new ArrayList<>(u.groups());
    groups.add(UserInfo.AUTHENTICATED);
    return new UserInfo(u.name(), groups);
  }
}
