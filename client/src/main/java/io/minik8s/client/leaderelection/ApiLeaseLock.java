package io.minik8s.client.leaderelection;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.ApiGrpc;
import io.minik8s.api.CreateRequest;
import io.minik8s.api.GetRequest;
import io.minik8s.api.Lease;
import io.minik8s.api.UpdateRequest;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.Resources;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LeaseLock} on a Lease in the api-server (coordination.k8s.io/v1). Each call carries a
 * gRPC deadline, so a server that accepts the call and never answers fails it in time.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/client-go/tools/leaderelection/resourcelock/leaselock.go.
 */
public final class ApiLeaseLock implements LeaseLock {
  private final ApiClient client;
  private final String namespace;
  private final String name;

  public ApiLeaseLock(ApiClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  private ApiGrpc.ApiBlockingStub stub(Duration timeout) {
    return client.blocking(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public Optional<Lease> get(Duration timeout) {
    try {
      return Optional.of(KubeObjects.unwrap(stub(timeout).get(GetRequest.newBuilder()
          .setResource(Resources.LEASES.resource()).setNamespace(namespace).setName(name).build()), Lease.class));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public boolean create(Lease lease, Duration timeout) {
    Lease named = lease.toBuilder().setMetadata(lease.getMetadata().toBuilder()
        .setNamespace(namespace).setName(name)).build();
    try {
      stub(timeout).create(CreateRequest.newBuilder().setObject(KubeObjects.wrap(named)).build());
      return true;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public boolean update(Lease lease, Duration timeout) {
    try {
      stub(timeout).update(UpdateRequest.newBuilder().setObject(KubeObjects.wrap(lease)).build());
      return true;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.ABORTED || e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public String describe() {
    return namespace + "/" + name;
  }
}
