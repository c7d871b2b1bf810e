package io.minik8s.client.leaderelection;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.Lease;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.util.Optional;

/** A {@link LeaseLock} on a Lease in the api-server (coordination.k8s.io/v1). */
public final class ApiLeaseLock implements LeaseLock {
  private final ApiClient client;
  private final String namespace;
  private final String name;

  public ApiLeaseLock(ApiClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  @Override
  public Optional<Lease> get() {
    return client.find(Resources.LEASES, namespace, name);
  }

  @Override
  public boolean create(Lease lease) {
    try {
      client.create(lease.toBuilder().setMetadata(lease.getMetadata().toBuilder()
          .setNamespace(namespace).setName(name)).build());
      return true;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public boolean update(Lease lease) {
    try {
      client.update(lease);
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
