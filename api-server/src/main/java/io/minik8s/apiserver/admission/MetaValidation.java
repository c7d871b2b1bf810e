package io.minik8s.apiserver.admission;

import io.minik8s.api.LabelSelector;
import io.minik8s.api.LabelSelectorRequirement;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** ObjectMeta, labels, annotations and label selectors, as apimachinery validates them. */
final class MetaValidation {
  /** Which DNS format a kind's names must follow. */
  enum NameRule {
    SUBDOMAIN(NameValidation::dns1123Subdomain),
    LABEL(NameValidation::dns1123Label),
    DNS1035_LABEL(NameValidation::dns1035Label),
    PATH_SEGMENT(NameValidation::pathSegment);

    private final Function<String, List<String>> check;

    NameRule(Function<String, List<String>> check) {
      this.check = check;
    }

    List<String> check(String name) {
      return check.apply(name);
    }
  }

  private static final int TOTAL_ANNOTATION_BYTES = 256 * 1024;

  private MetaValidation() {}

  static void objectMeta(List<FieldError> errs, ObjectMeta meta, boolean namespaced, NameRule rule) {
    FieldPath path = FieldPath.root("metadata");
    String generateName = meta.getGenerateName();
    if (!generateName.isEmpty()) {
      // a prefix may end in '-': the generated suffix follows it
      Checks.format(errs, rule.check(maskTrailingDash(generateName)), path.child("generateName"), generateName);
    }
    if (meta.getName().isEmpty()) {
      if (generateName.isEmpty()) {
        errs.add(path.child("name").required("name or generateName is required"));
      }
    } else {
      Checks.format(errs, rule.check(meta.getName()), path.child("name"), meta.getName());
    }
    if (namespaced) {
      if (meta.getNamespace().isEmpty()) {
        errs.add(path.child("namespace").required(""));
      } else {
        Checks.format(errs, NameValidation.dns1123Label(meta.getNamespace()), path.child("namespace"), meta.getNamespace());
      }
    } else if (!meta.getNamespace().isEmpty()) {
      errs.add(path.child("namespace").forbidden("not allowed on this type"));
    }
    Checks.nonNegative(errs, meta.getGeneration(), path.child("generation"));
    labels(errs, meta.getLabelsMap(), path.child("labels"));
    annotations(errs, meta.getAnnotationsMap(), path.child("annotations"));
    ownerReferences(errs, meta.getOwnerReferencesList(), path.child("ownerReferences"));
    for (int i = 0; i < meta.getFinalizersCount(); i++) {
      String f = meta.getFinalizers(i);
      Checks.format(errs, NameValidation.qualifiedName(f), path.child("finalizers").index(i), f);
    }
  }

  /**
   * Identity fields may not change. An empty uid in the update is not a change: like Kubernetes'
   * BeforeUpdate, the storage layer carries the old one over.
   */
  static void objectMetaUpdate(List<FieldError> errs, ObjectMeta meta, ObjectMeta old) {
    FieldPath path = FieldPath.root("metadata");
    immutable(errs, meta.getName(), old.getName(), path.child("name"));
    immutable(errs, meta.getNamespace(), old.getNamespace(), path.child("namespace"));
    if (!meta.getUid().isEmpty()) {
      immutable(errs, meta.getUid(), old.getUid(), path.child("uid"));
    }
  }

  static void immutable(List<FieldError> errs, String value, String old, FieldPath path) {
    if (!value.equals(old)) {
      errs.add(path.invalid(value, Checks.IMMUTABLE));
    }
  }

  /** Label keys and values; errors name the map, not the key, as Kubernetes' do. */
  static void labels(List<FieldError> errs, Map<String, String> labels, FieldPath path) {
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      Checks.format(errs, NameValidation.qualifiedName(e.getKey()), path, e.getKey());
      Checks.format(errs, NameValidation.labelValue(e.getValue()), path, e.getValue());
    }
  }

  static void annotations(List<FieldError> errs, Map<String, String> annotations, FieldPath path) {
    long bytes = 0;
    for (Map.Entry<String, String> e : new TreeMap<>(annotations).entrySet()) {
      // annotation keys are qualified names, except that case does not matter
      Checks.format(errs, NameValidation.qualifiedName(e.getKey().toLowerCase(Locale.ROOT)), path, e.getKey());
      bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes > TOTAL_ANNOTATION_BYTES) {
      errs.add(FieldError.tooLong(path.text(), TOTAL_ANNOTATION_BYTES));
    }
  }

  /** Kubernetes reports these on the list's path, without an index. */
  private static void ownerReferences(List<FieldError> errs, List<OwnerReference> refs, FieldPath path) {
    String firstController = null;
    for (OwnerReference ref : refs) {
      if (ref.getApiVersion().isEmpty() || ref.getApiVersion().endsWith("/")) {
        errs.add(path.child("apiVersion").invalid(ref.getApiVersion(), "version must not be empty"));
      }
      if (ref.getKind().isEmpty()) {
        errs.add(path.child("kind").invalid(ref.getKind(), "must not be empty"));
      }
      if (ref.getName().isEmpty()) {
        errs.add(path.child("name").invalid(ref.getName(), "must not be empty"));
      }
      if (ref.getUid().isEmpty()) {
        errs.add(path.child("uid").invalid(ref.getUid(), "must not be empty"));
      }
      if (ref.getController()) {
        String current = ref.getKind() + "/" + ref.getName();
        if (firstController == null) {
          firstController = current;
        } else {
          errs.add(path.invalidRendered("[]v1.OwnerReference{...}",
              "Only one reference can have Controller set to true. Found \"true\" in references for "
                  + firstController + " and " + current));
        }
      }
    }
  }

  /** Reports each problem and returns whether the selector can be used for matching at all. */
  static boolean labelSelector(List<FieldError> errs, LabelSelector selector, FieldPath path) {
    int before = errs.size();
    labels(errs, selector.getMatchLabelsMap(), path.child("matchLabels"));
    for (int i = 0; i < selector.getMatchExpressionsCount(); i++) {
      requirement(errs, selector.getMatchExpressions(i), path.child("matchExpressions").index(i));
    }
    return errs.size() == before;
  }

  private static void requirement(List<FieldError> errs, LabelSelectorRequirement r, FieldPath path) {
    switch (r.getOperator()) {
      case "In", "NotIn" -> {
        if (r.getValuesCount() == 0) {
          errs.add(path.child("values").required("must be specified when `operator` is 'In' or 'NotIn'"));
        }
      }
      case "Exists", "DoesNotExist" -> {
        if (r.getValuesCount() > 0) {
          errs.add(path.child("values").forbidden("may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
      }
      default -> errs.add(path.child("operator").invalid(r.getOperator(), "not a valid selector operator"));
    }
    Checks.format(errs, NameValidation.qualifiedName(r.getKey()), path.child("key"), r.getKey());
    for (int i = 0; i < r.getValuesCount(); i++) {
      Checks.format(errs, NameValidation.labelValue(r.getValues(i)), path.child("values").index(i), r.getValues(i));
    }
  }

  /** apimachinery's maskTrailingDash, quirk included: it drops two characters and appends 'a'. */
  private static String maskTrailingDash(String name) {
    if (name.length() > 1 && name.endsWith("-")) {
      return name.substring(0, name.length() - 2) + "a";
    }
    return name;
  }
}
