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
 * Authentication of every call, before any handler runs: the first {@link Authenticator} that
 * knows the caller wins and the caller goes into the call's {@link Context} under
 * {@link UserInfo#KEY}, with {@code system:authenticated} added to its groups; a call none knows
 * is refused with UNAUTHENTICATED "Unauthorized", Kubernetes' 401, and changes nothing. As
 * Kubernetes' WithAuthentication filter (k8s.io/apiserver/pkg/endpoints/filters/authentication.go).
 *
 * <p>Plain text ({@code --insecure-plaintext}) with no token file is development mode: the only
 * authenticator is {@link InsecureAuthenticator}, which makes everyone a superuser.
 */
public final class AuthenticationInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(AuthenticationInterceptor.class);
  /** Kubernetes' body of a 401. */
  public static final String UNAUTHORIZED = "Unauthorized";

  private final List<Authenticator> authenticators;
  private final MeterRegistry metrics;

  public AuthenticationInterceptor(List<Authenticator> authenticators, MeterRegistry metrics) {
    this.authenticators = List.copyOf(authenticators);
    this.metrics = metrics;
  }

  /** Whether this is development mode: every caller is the unsecured superuser. */
  public boolean devMode() {
    return authenticators.stream().anyMatch(a -> a instanceof InsecureAuthenticator);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Optional<UserInfo> user = Optional.empty();
    for (Authenticator a : authenticators) {
      user = a.authenticate(call, headers);
      if (user.isPresent()) {
        break;
      }
    }
    if (user.isEmpty()) {
      metrics.counter("apiserver_authentication_failures_total").increment();
      log.info("refused {} from {}: no client certificate or token the api-server knows",
          call.getMethodDescriptor().getBareMethodName(), call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
      call.close(Status.UNAUTHENTICATED.withDescription(UNAUTHORIZED), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Context ctx = Context.current().withValue(UserInfo.KEY, authenticated(user.get()));
    return Contexts.interceptCall(ctx, call, headers, next);
  }

  private static UserInfo authenticated(UserInfo u) {
    if (u.groups().contains(UserInfo.AUTHENTICATED)) {
      return u;
    }
    List<String> groups = new ArrayList<>(u.groups());
    groups.add(UserInfo.AUTHENTICATED);
    return new UserInfo(u.name(), groups);
  }
}
