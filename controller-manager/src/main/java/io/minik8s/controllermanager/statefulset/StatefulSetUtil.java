package io.minik8s.controllermanager.statefulset;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import io.minik8s.api.ControllerRevision;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.PersistentVolumeClaimVolumeSource;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.StatefulSet;
import io.minik8s.api.Volume;
import io.minik8s.controllermanager.controller.Hashing;
import io.minik8s.controllermanager.controller.OwnerRefs;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A StatefulSet's pod identities, claims and revisions (Kubernetes' stateful_set_utils).
 *
 * <p>Mirrors Kubernetes' pkg/controller/statefulset/stateful_set_utils.go.
 */
public final class StatefulSetUtil {
  public static final String REVISION_LABEL = "controller-revision-hash";
  public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
  public static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
  private static final Pattern ORDINAL = Pattern.compile("^(.*)-([0-9]+)$");

  private StatefulSetUtil() {}

  public static String podName(StatefulSet set, int ordinal) {
    return set.getMetadata().getName() + "-" + ordinal;
  }

  /** The ordinal in {@code <set>-<ordinal>}, or -1 if the pod is not named as a member of this set. */
  public static int ordinal(StatefulSet set, Pod pod) {
    Matcher m = ORDINAL.matcher(pod.getMetadata().getName());
    if (!m.matches() || !m.group(1).equals(set.getMetadata().getName())) {
      return -1;
    }
    try {
      return Integer.parseInt(m.group(2));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** {@code <claim>-<set>-<ordinal>}: the claim outlives the pod, so a new pod of that ordinal finds its data. */
  public static String claimName(PersistentVolumeClaim template, StatefulSet set, int ordinal) {
    return template.getMetadata().getName() + "-" + podName(set, ordinal);
  }

  public static List<PersistentVolumeClaim> claims(StatefulSet set, int ordinal) {
    List<PersistentVolumeClaim> out = new ArrayList<>();
    for (PersistentVolumeClaim t : set.getSpec().getVolumeClaimTemplatesList()) {
      out.add(PersistentVolumeClaim.newBuilder()
          .setMetadata(ObjectMeta.newBuilder()
              .setNamespace(set.getMetadata().getNamespace())
              .setName(claimName(t, set, ordinal))
              .putAllLabels(t.getMetadata().getLabelsMap())
              .putAllLabels(set.getSpec().getSelector().getMatchLabelsMap())
              .putAllAnnotations(t.getMetadata().getAnnotationsMap()))
          .setSpec(t.getSpec())
          .build());
    }
    return out;
  }

  /** The pod of an ordinal from a template: stable name, hostname and subdomain, its claims mounted. */
  public static Pod newPod(StatefulSet set, PodTemplateSpec template, String revision, int ordinal) {
    String name = podName(set, ordinal);
    PodSpec.Builder spec = template.getSpec().toBuilder().setHostname(name).setSubdomain(set.getSpec().getServiceName());
    for (PersistentVolumeClaim t : set.getSpec().getVolumeClaimTemplatesList()) {
      Volume v = Volume.newBuilder().setName(t.getMetadata().getName())
          .setPersistentVolumeClaim(PersistentVolumeClaimVolumeSource.newBuilder().setClaimName(claimName(t, set, ordinal)))
          .build();
      List<Volume> kept = new ArrayList<>(spec.getVolumesList().stream()
          .filter(x -> !x.getName().equals(t.getMetadata().getName())).toList());
      kept.add(v);
      spec.clearVolumes().addAllVolumes(kept);
    }
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder()
            .setNamespace(set.getMetadata().getNamespace())
            .setName(name)
            .putAllLabels(template.getMetadata().getLabelsMap())
            .putLabels(REVISION_LABEL, revision)
            .putLabels(POD_NAME_LABEL, name)
            .putLabels(POD_INDEX_LABEL, Integer.toString(ordinal))
            .putAllAnnotations(template.getMetadata().getAnnotationsMap())
            .addOwnerReferences(OwnerRefs.controllerRef(set)))
        .setSpec(spec)
        .build();
  }

  public static String revisionName(StatefulSet set, int collisionCount) {
    return set.getMetadata().getName() + "-" + Hashing.templateHash(set.getSpec().getTemplate(), collisionCount);
  }

  /** A revision holding the set's template as Kubernetes does: {"spec":{"template":...,"$patch":"replace"}}. */
  public static ControllerRevision newRevision(StatefulSet set, long number, int collisionCount) {
    Struct.Builder template = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(JsonFormat.printer().print(set.getSpec().getTemplate()), template);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
    Struct spec = Struct.newBuilder()
        .putFields("template", com.google.protobuf.Value.newBuilder().setStructValue(template).build())
        .putFields("$patch", com.google.protobuf.Value.newBuilder().setStringValue("replace").build())
        .build();
    return ControllerRevision.newBuilder()
        .setMetadata(ObjectMeta.newBuilder()
            .setNamespace(set.getMetadata().getNamespace())
            .setName(revisionName(set, collisionCount))
            .putAllLabels(set.getSpec().getSelector().getMatchLabelsMap())
            .addOwnerReferences(OwnerRefs.controllerRef(set)))
        .setData(Struct.newBuilder().putFields("spec", com.google.protobuf.Value.newBuilder().setStructValue(spec).build()))
        .setRevision(number)
        .build();
  }

  /** The template a revision holds. */
  public static PodTemplateSpec templateOf(ControllerRevision revision) {
    Struct template = revision.getData().getFieldsOrThrow("spec").getStructValue().getFieldsOrThrow("template").getStructValue();
    PodTemplateSpec.Builder b = PodTemplateSpec.newBuilder();
    try {
      JsonFormat.parser().merge(JsonFormat.printer().print(template), b);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
    return b.build();
  }
}
