package io.minik8s.apiserver.admission;

import io.minik8s.api.PodSpec;
import io.minik8s.api.Toleration;
import io.minik8s.api.Volume;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A PodSpec, wherever it appears: a Pod's spec or a controller's spec.template.spec. Containers
 * are checked by {@link ContainerValidation}.
 */
final class PodSpecValidation {
  static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
  static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
  static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
  private static final List<String> HOST_PATH_TYPES = List.of("", "DirectoryOrCreate", "Directory", "FileOrCreate",
      "File", "Socket", "CharDevice", "BlockDevice");

  private PodSpecValidation() {}

  /**
   * @param extraVolumes volume names that exist although the spec does not list them: a
   *     StatefulSet's volumeClaimTemplates, which become volumes of each pod
   */
  static void podSpec(List<FieldError> errs, PodSpec spec, FieldPath path, Set<String> extraVolumes) {
    Set<String> volumes = volumes(errs, spec.getVolumesList(), path.child("volumes"));
    volumes.addAll(extraVolumes);
    ContainerValidation.containers(errs, spec, volumes, path);
    Checks.requiredOneOf(errs, spec.getRestartPolicy(), path.child("restartPolicy"), RESTART_POLICIES);
    Checks.requiredOneOf(errs, spec.getDnsPolicy(), path.child("dnsPolicy"), DNS_POLICIES);
    MetaValidation.labels(errs, spec.getNodeSelectorMap(), path.child("nodeSelector"));
    optionalName(errs, spec.getServiceAccountName(), path.child("serviceAccountName"), true);
    optionalName(errs, spec.getNodeName(), path.child("nodeName"), true);
    optionalName(errs, spec.getHostname(), path.child("hostname"), false);
    optionalName(errs, spec.getSubdomain(), path.child("subdomain"), false);
    if (spec.hasTerminationGracePeriodSeconds()) {
      Checks.nonNegative(errs, spec.getTerminationGracePeriodSeconds(), path.child("terminationGracePeriodSeconds"));
    }
    if (spec.hasActiveDeadlineSeconds()) {
      long v = spec.getActiveDeadlineSeconds();
      if (v < 1 || v > Integer.MAX_VALUE) {
        errs.add(path.child("activeDeadlineSeconds").invalid(v, "must be between 1 and 2147483647, inclusive"));
      }
    }
    tolerations(errs, spec.getTolerationsList(), path.child("tolerations"));
  }

  private static void optionalName(List<FieldError> errs, String value, FieldPath path, boolean subdomain) {
    if (!value.isEmpty()) {
      Checks.format(errs, subdomain ? NameValidation.dns1123Subdomain(value) : NameValidation.dns1123Label(value),
          path, value);
    }
  }

  /** Returns the names that mounts may refer to: only volumes without errors, as in Kubernetes. */
  private static Set<String> volumes(List<FieldError> errs, List<Volume> volumes, FieldPath path) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < volumes.size(); i++) {
      Volume v = volumes.get(i);
      FieldPath p = path.index(i);
      int before = errs.size();
      volumeSource(errs, v, p);
      if (v.getName().isEmpty()) {
        errs.add(p.child("name").required(""));
      } else {
        Checks.format(errs, NameValidation.dns1123Label(v.getName()), p.child("name"), v.getName());
      }
      if (names.contains(v.getName())) {
        errs.add(p.child("name").duplicate(v.getName()));
      } else if (errs.size() == before) {
        names.add(v.getName());
      }
    }
    return names;
  }

  private static void volumeSource(List<FieldError> errs, Volume v, FieldPath path) {
    int sources = 0;
    if (v.hasEmptyDir()) {
      sources++;
      String limit = v.getEmptyDir().getSizeLimit();
      if (!limit.isEmpty()) {
        Checks.quantity(errs, limit, path.child("emptyDir").child("sizeLimit"));
      }
    }
    if (v.hasHostPath()) {
      if (sources++ > 0) {
        errs.add(path.child("hostPath").forbidden("may not specify more than 1 volume type"));
      } else {
        if (v.getHostPath().getPath().isEmpty()) {
          errs.add(path.child("hostPath").child("path").required(""));
        }
        Checks.oneOf(errs, v.getHostPath().getType(), path.child("hostPath").child("type"), HOST_PATH_TYPES);
      }
    }
    if (v.hasPersistentVolumeClaim()) {
      if (sources++ > 0) {
        errs.add(path.child("persistentVolumeClaim").forbidden("may not specify more than 1 volume type"));
      } else if (v.getPersistentVolumeClaim().getClaimName().isEmpty()) {
        errs.add(path.child("persistentVolumeClaim").child("claimName").required(""));
      }
    }
    if (sources == 0) {
      errs.add(path.required("must specify a volume type"));
    }
  }

  private static void tolerations(List<FieldError> errs, List<Toleration> tolerations, FieldPath path) {
    for (int i = 0; i < tolerations.size(); i++) {
      Toleration t = tolerations.get(i);
      FieldPath p = path.index(i);
      if (!t.getKey().isEmpty()) {
        Checks.format(errs, NameValidation.qualifiedName(t.getKey()), p.child("key"), t.getKey());
      } else if (!t.getOperator().equals("Exists")) {
        // an empty key with Exists tolerates every taint; with Equal it would tolerate none
        errs.add(p.child("operator").invalid(t.getOperator(),
            "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
      }
      if (t.hasTolerationSeconds() && !t.getEffect().equals("NoExecute")) {
        errs.add(p.child("effect").invalid(t.getEffect(), "effect must be 'NoExecute' when `tolerationSeconds` is set"));
      }
      switch (t.getOperator()) {
        case "", "Equal" -> {
          List<String> msgs = NameValidation.labelValue(t.getValue());
          if (!msgs.isEmpty()) {
            errs.add(p.child("operator").invalid(t.getValue(), String.join(";", msgs)));
          }
        }
        case "Exists" -> {
          if (!t.getValue().isEmpty()) {
            errs.add(p.child("operator").invalidRendered("core.Toleration{Key:" + GoValues.quote(t.getKey())
                + ", Operator:\"Exists\", Value:" + GoValues.quote(t.getValue()) + ", ...}",
                "value must be empty when `operator` is 'Exists'"));
          }
        }
        default -> errs.add(p.child("operator").notSupported(t.getOperator(), List.of("Equal", "Exists")));
      }
      if (!t.getEffect().isEmpty()) {
        Checks.oneOf(errs, t.getEffect(), p.child("effect"), TAINT_EFFECTS);
      }
    }
  }
}
