package io.minik8s.bench.soak;

import com.google.protobuf.Message;
import io.minik8s.api.CreateRequest;
import io.minik8s.api.DeleteRequest;
import io.minik8s.api.DeleteResponse;
import io.minik8s.api.GetRequest;
import io.minik8s.api.ListRequest;
import io.minik8s.api.ListResponse;
import io.minik8s.api.UpdateRequest;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The soak's calls to the api-server, each with a deadline: a fault may leave a call hanging (an
 * api-server killed mid-call, an etcd without quorum), and the soak must go on and count it.
 */
final class Api {
  private static final long DEADLINE_SECONDS = 15;

  private final ApiClient client;

  Api(ApiClient client) {
    this.client = client;
  }

  ApiClient client() {
    return client;
  }

  @SuppressWarnings("unchecked")
  <T extends Message> T create(T obj) {
    return (T) KubeObjects.unwrap(stub().create(CreateRequest.newBuilder().setObject(KubeObjects.wrap(obj)).build()));
  }

  @SuppressWarnings("unchecked")
  <T extends Message> T get(ResourceType type, String namespace, String name) {
    return (T) KubeObjects.unwrap(stub().get(GetRequest.newBuilder().setResource(type.resource())
        .setNamespace(namespace).setName(name).build()));
  }

  @SuppressWarnings("unchecked")
  <T extends Message> T update(T obj) {
    return (T) KubeObjects.unwrap(stub().update(UpdateRequest.newBuilder().setObject(KubeObjects.wrap(obj)).build()));
  }

  DeleteResponse delete(ResourceType type, String namespace, String name) {
    return stub().delete(DeleteRequest.newBuilder().setResource(type.resource()).setNamespace(namespace)
        .setName(name).build());
  }

  @SuppressWarnings("unchecked")
  <T extends Message> List<T> list(ResourceType type, String namespace, String labelSelector) {
    ListResponse r = stub().list(ListRequest.newBuilder().setResource(type.resource()).setNamespace(namespace)
        .setLabelSelector(labelSelector).build());
    return r.getItemsList().stream().map(o -> (T) KubeObjects.unwrap(o)).toList();
  }

  private io.minik8s.api.ApiGrpc.ApiBlockingStub stub() {
    return client.blocking(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }
}
