package io.minik8s.apiserver.admission;

import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.Toleration;
import java.util.List;
import java.util.Set;

/** Pods: their spec on create, and the few changes a running pod can take on update. */
final class PodValidation {
  private static final FieldPath SPEC = FieldPath.root("spec");
  static final String SPEC_UPDATE_FORBIDDEN = "pod updates may not change fields other than "
      + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
      + "`spec.tolerations` (only additions to existing tolerations),"
      + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

  private PodValidation() {}

  static void pod(List<FieldError> errs, Pod pod) {
    PodSpecValidation.podSpec(errs, pod.getSpec(), SPEC, Set.of());
  }

  /**
   * The kubelet runs what it was given when the pod started; only an image swap (a container
   * restart), a shorter deadline and more tolerations can be applied to a running pod.
   */
  static void update(List<FieldError> errs, Pod pod, Pod old) {
    PodSpec spec = pod.getSpec();
    PodSpec oldSpec = old.getSpec();
    if (spec.getContainersCount() != oldSpec.getContainersCount()) {
      errs.add(SPEC.child("containers").forbidden("pod updates may not add or remove containers"));
      return;
    }
    activeDeadline(errs, spec, oldSpec);
    if (!onlyAddedTolerations(spec.getTolerationsList(), oldSpec.getTolerationsList())) {
      errs.add(SPEC.child("tolerations").forbidden("existing toleration can not be modified except its tolerationSeconds"));
    }
    if (!withoutMutableFields(spec, oldSpec).equals(oldSpec)) {
      errs.add(SPEC.forbidden(SPEC_UPDATE_FORBIDDEN));
    }
  }

  private static void activeDeadline(List<FieldError> errs, PodSpec spec, PodSpec oldSpec) {
    FieldPath p = SPEC.child("activeDeadlineSeconds");
    if (spec.hasActiveDeadlineSeconds()) {
      if (oldSpec.hasActiveDeadlineSeconds() && spec.getActiveDeadlineSeconds() > oldSpec.getActiveDeadlineSeconds()) {
        errs.add(p.invalid(spec.getActiveDeadlineSeconds(), "must be less than or equal to previous value"));
      }
    } else if (oldSpec.hasActiveDeadlineSeconds()) {
      errs.add(p.invalidRendered("null", "must not update from a positive integer to nil value"));
    }
  }

  /** Each old toleration must still be there, though its tolerationSeconds may change. */
  private static boolean onlyAddedTolerations(List<Toleration> tolerations, List<Toleration> old) {
    for (Toleration o : old) {
      boolean found = tolerations.stream()
          .anyMatch(t -> t.toBuilder().clearTolerationSeconds().build().equals(o.toBuilder().clearTolerationSeconds().build()));
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /** {@code spec} with every field an update may change copied from {@code old}. */
  private static PodSpec withoutMutableFields(PodSpec spec, PodSpec old) {
    PodSpec.Builder b = spec.toBuilder();
    for (int i = 0; i < b.getContainersCount(); i++) {
      b.getContainersBuilder(i).setImage(old.getContainers(i).getImage());
    }
    if (b.getInitContainersCount() == old.getInitContainersCount()) {
      for (int i = 0; i < b.getInitContainersCount(); i++) {
        b.getInitContainersBuilder(i).setImage(old.getInitContainers(i).getImage());
      }
    }
    if (old.hasActiveDeadlineSeconds()) {
      b.setActiveDeadlineSeconds(old.getActiveDeadlineSeconds());
    } else {
      b.clearActiveDeadlineSeconds();
    }
    b.clearTolerations().addAllTolerations(old.getTolerationsList());
    // binding sets nodeName on an unscheduled pod; once set it is the pod's node for life
    if (old.getNodeName().isEmpty()) {
      b.setNodeName("");
    }
    if (old.hasTerminationGracePeriodSeconds() && old.getTerminationGracePeriodSeconds() < 0
        && spec.hasTerminationGracePeriodSeconds() && spec.getTerminationGracePeriodSeconds() == 1) {
      b.setTerminationGracePeriodSeconds(old.getTerminationGracePeriodSeconds());
    }
    return b.build();
  }
}
