package io.minik8s.apiserver.admission;

import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.RollingUpdateStatefulSetStrategy;
import io.minik8s.api.StatefulSet;
import io.minik8s.api.StatefulSetSpec;
import io.minik8s.api.StatefulSetUpdateStrategy;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** StatefulSet: the apps rules plus its ordering, update strategy and claim templates. */
final class StatefulSetValidation {
  private static final FieldPath SPEC = FieldPath.root("spec");
  private static final List<String> RETENTION = List.of("Retain", "Delete");

  private StatefulSetValidation() {}

  static void statefulSet(List<FieldError> errs, StatefulSet sts) {
    StatefulSetSpec spec = sts.getSpec();
    podManagementPolicy(errs, spec.getPodManagementPolicy());
    updateStrategy(errs, spec.getUpdateStrategy(), SPEC.child("updateStrategy"));
    if (spec.hasPersistentVolumeClaimRetentionPolicy()) {
      FieldPath p = SPEC.child("persistentVolumeClaimRetentionPolicy");
      var policy = spec.getPersistentVolumeClaimRetentionPolicy();
      Checks.oneOf(errs, policy.getWhenDeleted(), p.child("whenDeleted"), RETENTION);
      Checks.oneOf(errs, policy.getWhenScaled(), p.child("whenScaled"), RETENTION);
    }
    if (spec.hasReplicas()) {
      Checks.nonNegative(errs, spec.getReplicas(), SPEC.child("replicas"));
    }
    Checks.nonNegative(errs, spec.getMinReadySeconds(), SPEC.child("minReadySeconds"));
    if (spec.hasOrdinals()) {
      Checks.nonNegative(errs, spec.getOrdinals().getStart(), SPEC.child("ordinals.start"));
    }
    Set<String> claimNames = claimTemplates(errs, spec.getVolumeClaimTemplatesList());
    AppsValidation.selectorAndTemplate(errs, spec.hasSelector() ? spec.getSelector() : null, spec.getTemplate(),
        "empty selector is invalid for statefulset", "", claimNames);
    AppsValidation.templateOfController(errs, spec.getTemplate(), "StatefulSet");
  }

  private static void podManagementPolicy(List<FieldError> errs, String policy) {
    FieldPath p = SPEC.child("podManagementPolicy");
    if (policy.isEmpty()) {
      errs.add(p.required(""));
    } else if (!policy.equals("OrderedReady") && !policy.equals("Parallel")) {
      errs.add(p.invalid(policy, "must be 'OrderedReady' or 'Parallel'"));
    }
  }

  private static void updateStrategy(List<FieldError> errs, StatefulSetUpdateStrategy s, FieldPath path) {
    switch (s.getType()) {
      case "" -> errs.add(path.required(""));
      case "OnDelete" -> {
        if (s.hasRollingUpdate()) {
          errs.add(path.child("rollingUpdate").invalidRendered("&apps.RollingUpdateStatefulSetStrategy{...}",
              "only allowed for updateStrategy 'RollingUpdate'"));
        }
      }
      case "RollingUpdate" -> {
        if (s.hasRollingUpdate()) {
          rollingUpdate(errs, s.getRollingUpdate(), path.child("rollingUpdate"));
        }
      }
      default -> errs.add(path.invalidRendered(GoValues.strategy("apps.StatefulSetUpdateStrategy", s.getType(),
          "apps.RollingUpdateStatefulSetStrategy", s.hasRollingUpdate()), "must be 'RollingUpdate' or 'OnDelete'"));
    }
  }

  private static void rollingUpdate(List<FieldError> errs, RollingUpdateStatefulSetStrategy ru, FieldPath path) {
    Checks.nonNegative(errs, ru.getPartition(), path.child("partition"));
    if (ru.hasMaxUnavailable()) {
      FieldPath p = path.child("maxUnavailable");
      AppsValidation.intOrPercent(errs, ru.getMaxUnavailable(), p);
      if (AppsValidation.intOrPercentValue(ru.getMaxUnavailable()) == 0) {
        errs.add(p.invalidRendered(GoValues.intOrString(ru.getMaxUnavailable()), "cannot be 0"));
      }
      AppsValidation.notMoreThan100Percent(errs, ru.getMaxUnavailable(), p);
    }
  }

  /** Returns the claim names, which the pod template may mount as if they were volumes. */
  private static Set<String> claimTemplates(List<FieldError> errs, List<PersistentVolumeClaim> claims) {
    Set<String> names = new HashSet<>();
    FieldPath path = SPEC.child("volumeClaimTemplates");
    for (int i = 0; i < claims.size(); i++) {
      PersistentVolumeClaim claim = claims.get(i);
      FieldPath p = path.index(i);
      String name = claim.getMetadata().getName();
      // the claim's name becomes part of each PVC's name: <claim>-<statefulset>-<ordinal>
      if (name.isEmpty()) {
        errs.add(p.child("metadata").child("name").required(""));
      } else {
        Checks.format(errs, NameValidation.dns1123Label(name), p.child("metadata").child("name"), name);
      }
      if (!names.add(name)) {
        errs.add(p.child("metadata").child("name").duplicate(name));
      }
      PvcValidation.spec(errs, claim.getSpec(), p.child("spec"));
    }
    return names;
  }

  static void update(List<FieldError> errs, StatefulSet sts, StatefulSet old) {
    AppsValidation.selectorUpdate(errs, sts.getSpec().getSelector(), sts.getSpec().hasSelector(),
        old.getSpec().getSelector(), old.getSpec().hasSelector());
    if (!withoutMutableFields(sts.getSpec()).equals(withoutMutableFields(old.getSpec()))) {
      errs.add(SPEC.forbidden("updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
          + "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' "
          + "are forbidden"));
    }
  }

  private static StatefulSetSpec withoutMutableFields(StatefulSetSpec spec) {
    return spec.toBuilder()
        .clearReplicas()
        .clearTemplate()
        .clearUpdateStrategy()
        .clearPersistentVolumeClaimRetentionPolicy()
        .clearMinReadySeconds()
        .clearOrdinals()
        .clearRevisionHistoryLimit()
        .build();
  }
}
