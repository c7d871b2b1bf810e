package io.minik8s.client.api;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.List;

/**
 * One kind of the API: its Kubernetes kind, plural resource name, group and version, whether
 * it lives in a namespace, kubectl's short names, and where it sits in the {@code Object}
 * envelope.
 */
public record ResourceType(
    String kind,
    String resource,
    String group,
    String version,
    boolean namespaced,
    List<String> shortNames,
    Message defaultInstance,
    FieldDescriptor envelopeField) {

  /** {@code v1} for the core group, {@code apps/v1} otherwise, as in a manifest. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** {@code deployment.apps}, {@code pod}: the name kubectl prints before a slash. */
  public String qualifiedSingular() {
    String singular = kind.toLowerCase(java.util.Locale.ROOT);
    return group.isEmpty() ? singular : singular + "." + group;
  }

  /** {@code deployments.apps}, {@code pods}: the name used in Kubernetes' error messages. */
  public String qualifiedResource() {
    return group.isEmpty() ? resource : resource + "." + group;
  }

  /** The etcd key prefix of this resource, ending in a slash. */
  public String keyPrefix() {
    String g = group.isEmpty() ? "core" : group;
    return "/registry/" + g + "/" + resource + "/";
  }

  /** A builder of this kind's message. */
  public Message.Builder newBuilder() {
    return defaultInstance.newBuilderForType();
  }

  /** Whether the kind has a status section written only through update-status. */
  public boolean hasStatus() {
    return defaultInstance.getDescriptorForType().findFieldByName("status") != null;
  }

  /** Whether the kind has a spec (whose changes bump metadata.generation). */
  public boolean hasSpec() {
    return defaultInstance.getDescriptorForType().findFieldByName("spec") != null;
  }
}
