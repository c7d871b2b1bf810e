package io.minik8s.scheduler;

import io.grpc.stub.StreamObserver;
import io.minik8s.api.Binding;
import io.minik8s.api.Empty;

/** Writes a pod's binding to its node (the api-server's pods/binding); the answer comes later. */
interface PodBinder {
  void bind(Binding binding, StreamObserver<Empty> result);
}
