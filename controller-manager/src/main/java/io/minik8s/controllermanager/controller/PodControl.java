package io.minik8s.controllermanager.controller;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.Resources;

/**
 * Creates and deletes a controller's pods and records an Event for each (Kubernetes' RealPodControl).
 *
 * <p>Mirrors Kubernetes' pkg/controller/controller_utils.go (RealPodControl).
 */
public final class PodControl {
  private final ControllerClient client;
  private final Recorder recorder;

  public PodControl(ControllerClient client, Recorder recorder) {
    this.client = client;
    this.recorder = recorder;
  }

  /** A pod from the template, named {@code <owner>-<random>}, controlled by the owner. */
  public Pod createPod(PodTemplateSpec template, Message owner) {
    ObjectMeta ownerMeta = KubeObjects.meta(owner);
    Pod pod = Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder()
            .setNamespace(ownerMeta.getNamespace())
            .setGenerateName(ownerMeta.getName() + "-")
            .putAllLabels(template.getMetadata().getLabelsMap())
            .putAllAnnotations(template.getMetadata().getAnnotationsMap())
            .addOwnerReferences(OwnerRefs.controllerRef(owner)))
        .setSpec(template.getSpec())
        .build();
    return create(pod, owner);
  }

  public Pod create(Pod pod, Message owner) {
    try {
      Pod created = client.create(pod);
      recorder.event(owner, Recorder.NORMAL, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
      return created;
    } catch (RuntimeException e) {
      recorder.event(owner, Recorder.WARNING, "FailedCreate", "Error creating: " + message(e));
      throw e;
    }
  }

  /** Deletes the pod; one already gone counts as deleted. */
  public void deletePod(Pod pod, Message owner) {
    String name = pod.getMetadata().getName();
    try {
      client.delete(Resources.PODS, pod.getMetadata().getNamespace(), name, "", pod.getMetadata().getUid());
      recorder.event(owner, Recorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + name);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return;
      }
      recorder.event(owner, Recorder.WARNING, "FailedDelete", "Error deleting: " + message(e));
      throw e;
    }
  }

  static String message(RuntimeException e) {
    if (e instanceof StatusRuntimeException s && s.getStatus().getDescription() != null) {
      return s.getStatus().getDescription();
    }
    return String.valueOf(e.getMessage());
  }
}
