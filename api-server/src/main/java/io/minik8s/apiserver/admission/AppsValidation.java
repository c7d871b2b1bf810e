package io.minik8s.apiserver.admission;

import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentSpec;
import io.minik8s.api.DeploymentStrategy;
import io.minik8s.api.IntOrString;
import io.minik8s.api.LabelSelector;
import io.minik8s.client.labels.Selector;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.ReplicaSetSpec;
import io.minik8s.api.RollingUpdateDeployment;
import java.util.List;
import java.util.Set;

/**
 * ReplicaSet and Deployment, and the selector/template rules every apps controller shares.
 *
 * <p>Mirrors Kubernetes' pkg/apis/apps/validation/validation.go.
 */
final class AppsValidation {
  private static final FieldPath SPEC = FieldPath.root("spec");

  private AppsValidation() {}

  static void replicaSet(List<FieldError> errs, ReplicaSet rs) {
    ReplicaSetSpec spec = rs.getSpec();
    if (spec.hasReplicas()) {
      Checks.nonNegative(errs, spec.getReplicas(), SPEC.child("replicas"));
    }
    Checks.nonNegative(errs, spec.getMinReadySeconds(), SPEC.child("minReadySeconds"));
    // Kubernetes says "deployment" here for ReplicaSets too
    selectorAndTemplate(errs, spec.hasSelector() ? spec.getSelector() : null, spec.getTemplate(),
        "empty selector is invalid for deployment", "invalid label selector", Set.of());
    templateOfController(errs, spec.getTemplate(), "ReplicaSet");
  }

  static void deployment(List<FieldError> errs, Deployment d) {
    DeploymentSpec spec = d.getSpec();
    if (spec.hasReplicas()) {
      Checks.nonNegative(errs, spec.getReplicas(), SPEC.child("replicas"));
    }
    selectorAndTemplate(errs, spec.hasSelector() ? spec.getSelector() : null, spec.getTemplate(),
        "empty selector is invalid for deployment", "invalid label selector", Set.of());
    // Deployments hand their template to ReplicaSets, hence Kubernetes' wording
    templateOfController(errs, spec.getTemplate(), "ReplicaSet");
    strategy(errs, spec.getStrategy(), SPEC.child("strategy"));
    Checks.nonNegative(errs, spec.getMinReadySeconds(), SPEC.child("minReadySeconds"));
    if (spec.hasRevisionHistoryLimit()) {
      Checks.nonNegative(errs, spec.getRevisionHistoryLimit(), SPEC.child("revisionHistoryLimit"));
    }
    if (spec.hasProgressDeadlineSeconds()) {
      FieldPath p = SPEC.child("progressDeadlineSeconds");
      Checks.nonNegative(errs, spec.getProgressDeadlineSeconds(), p);
      if (spec.getProgressDeadlineSeconds() <= spec.getMinReadySeconds()) {
        errs.add(p.invalid(spec.getProgressDeadlineSeconds(), "must be greater than minReadySeconds"));
      }
    }
  }

  /**
   * The selector must be present, valid and non-empty, and must select the template's pods, or
   * the controller would create pods it cannot see and create more forever.
   *
   * @param selector null when the object has none
   */
  static void selectorAndTemplate(List<FieldError> errs, LabelSelector selector, PodTemplateSpec template,
      String emptyMessage, String unusableMessage, Set<String> extraVolumes) {
    FieldPath selectorPath = SPEC.child("selector");
    FieldPath templatePath = SPEC.child("template");
    boolean usable = true;
    if (selector == null) {
      errs.add(selectorPath.required(""));
    } else {
      usable = MetaValidation.labelSelector(errs, selector, selectorPath);
      if (selector.getMatchLabelsCount() == 0 && selector.getMatchExpressionsCount() == 0) {
        errs.add(selectorPath.invalidRendered(GoValues.selector(selector), emptyMessage));
      }
      if (!usable) {
        errs.add(selectorPath.invalidRendered(GoValues.selector(selector), unusableMessage));
      }
    }
    // a missing selector selects nothing, so Kubernetes reports the mismatch as well
    boolean mismatch = selector == null
        || (usable && !Selector.from(selector).isEmpty()
            && !Selector.from(selector).matches(template.getMetadata().getLabelsMap()));
    if (mismatch) {
      errs.add(templatePath.child("metadata").child("labels").invalidRendered(
          GoValues.stringMap(template.getMetadata().getLabelsMap()), "`selector` does not match template `labels`"));
    }
    // Kubernetes names these template.labels, not template.metadata.labels
    MetaValidation.labels(errs, template.getMetadata().getLabelsMap(), templatePath.child("labels"));
    MetaValidation.annotations(errs, template.getMetadata().getAnnotationsMap(), templatePath.child("annotations"));
    PodSpecValidation.podSpec(errs, template.getSpec(), templatePath.child("spec"), extraVolumes);
  }

  /** Controllers replace pods that exit, so their pods may not choose to stay down or time out. */
  static void templateOfController(List<FieldError> errs, PodTemplateSpec template, String kind) {
    FieldPath specPath = SPEC.child("template").child("spec");
    String restartPolicy = template.getSpec().getRestartPolicy();
    if (!restartPolicy.equals("Always")) {
      errs.add(specPath.child("restartPolicy").notSupported(restartPolicy, List.of("Always")));
    }
    if (template.getSpec().hasActiveDeadlineSeconds()) {
      errs.add(specPath.child("activeDeadlineSeconds").forbidden("activeDeadlineSeconds in " + kind + " is not Supported"));
    }
  }

  private static void strategy(List<FieldError> errs, DeploymentStrategy strategy, FieldPath path) {
    switch (strategy.getType()) {
      case "Recreate" -> {
        if (strategy.hasRollingUpdate()) {
          errs.add(path.child("rollingUpdate").forbidden("may not be specified when strategy `type` is 'Recreate'"));
        }
      }
      case "RollingUpdate" -> {
        if (!strategy.hasRollingUpdate()) {
          errs.add(path.child("rollingUpdate").required("this should be defaulted and never be nil"));
        } else {
          rollingUpdate(errs, strategy.getRollingUpdate(), path.child("rollingUpdate"));
        }
      }
      default -> errs.add(path.notSupportedRendered(GoValues.strategy("apps.DeploymentStrategy", strategy.getType(),
          "apps.RollingUpdateDeployment", strategy.hasRollingUpdate()), List.of("Recreate", "RollingUpdate")));
    }
  }

  private static void rollingUpdate(List<FieldError> errs, RollingUpdateDeployment ru, FieldPath path) {
    FieldPath unavailablePath = path.child("maxUnavailable");
    intOrPercent(errs, ru.getMaxUnavailable(), unavailablePath);
    intOrPercent(errs, ru.getMaxSurge(), path.child("maxSurge"));
    // with neither extra pods nor missing pods allowed, a rollout could never make progress
    if (intOrPercentValue(ru.getMaxUnavailable()) == 0 && intOrPercentValue(ru.getMaxSurge()) == 0) {
      errs.add(unavailablePath.invalidRendered(GoValues.intOrString(ru.getMaxUnavailable()),
          "may not be 0 when `maxSurge` is 0"));
    }
    notMoreThan100Percent(errs, ru.getMaxUnavailable(), unavailablePath);
  }

  static void intOrPercent(List<FieldError> errs, IntOrString v, FieldPath path) {
    if (v.getValueCase() == IntOrString.ValueCase.STR_VAL) {
      for (String msg : NameValidation.percent(v.getStrVal())) {
        errs.add(path.invalidRendered(GoValues.intOrString(v), msg));
      }
    } else {
      Checks.nonNegative(errs, v.getIntVal(), path);
    }
  }

  static void notMoreThan100Percent(List<FieldError> errs, IntOrString v, FieldPath path) {
    if (isPercent(v) && intOrPercentValue(v) > 100) {
      errs.add(path.invalidRendered(GoValues.intOrString(v), "must not be greater than 100%"));
    }
  }

  static int intOrPercentValue(IntOrString v) {
    if (v.getValueCase() != IntOrString.ValueCase.STR_VAL) {
      return v.getIntVal();
    }
    String s = isPercent(v) ? v.getStrVal().substring(0, v.getStrVal().length() - 1) : v.getStrVal();
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean isPercent(IntOrString v) {
    return v.getValueCase() == IntOrString.ValueCase.STR_VAL && NameValidation.percent(v.getStrVal()).isEmpty();
  }

  /** apps/v1 selectors never change: pods of the old selector would be orphaned. */
  static void selectorUpdate(List<FieldError> errs, LabelSelector selector, boolean has, LabelSelector old, boolean oldHas) {
    if (has != oldHas || !selector.equals(old)) {
      errs.add(SPEC.child("selector").invalidRendered(has ? GoValues.selector(selector) : "null", Checks.IMMUTABLE));
    }
  }
}
