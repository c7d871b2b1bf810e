package io.minik8s.controllermanager.controller;

import com.google.protobuf.Message;
import io.minik8s.api.DeleteRequest;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.ResourceType;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@link ControllerClient} over the api-server's gRPC API. */
public final class ApiControllerClient implements ControllerClient {
  private final ApiClient client;

  public ApiControllerClient(ApiClient client) {
    this.client = client;
  }

  @Override
  public <T extends Message> T create(T obj) {
    return client.create(obj);
  }

  @Override
  public <T extends Message> T update(T obj) {
    return client.update(obj);
  }

  @Override
  public <T extends Message> T updateStatus(T obj) {
    return client.updateStatus(obj);
  }

  @Override
  public void delete(ResourceType type, String namespace, String name, String policy, String preconditionUid) {
    client.blocking(30, TimeUnit.SECONDS).delete(DeleteRequest.newBuilder()
        .setResource(type.resource()).setNamespace(namespace).setName(name)
        .setPropagationPolicy(policy).setPreconditionUid(preconditionUid).build());
  }

  @Override
  public List<Message> list(ResourceType type, String namespace) {
    return client.list(type, namespace, "");
  }

  @Override
  public <T extends Message> Optional<T> find(ResourceType type, String namespace, String name) {
    return client.find(type, namespace, name);
  }
}
