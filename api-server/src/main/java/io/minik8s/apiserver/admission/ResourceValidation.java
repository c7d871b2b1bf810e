package io.minik8s.apiserver.admission;

import io.minik8s.api.ResourceRequirements;
import io.minik8s.client.api.Quantity;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A container's requests and limits: known names, parseable quantities, requests within limits. */
final class ResourceValidation {
  private static final List<String> STANDARD = List.of("cpu", "memory", "ephemeral-storage");

  private ResourceValidation() {}

  static void containerResources(List<FieldError> errs, ResourceRequirements r, FieldPath path) {
    FieldPath limitsPath = path.child("limits");
    FieldPath requestsPath = path.child("requests");
    for (Map.Entry<String, String> e : new TreeMap<>(r.getLimitsMap()).entrySet()) {
      entry(errs, e.getKey(), e.getValue(), limitsPath.key(e.getKey()));
    }
    for (Map.Entry<String, String> e : new TreeMap<>(r.getRequestsMap()).entrySet()) {
      String name = e.getKey();
      String request = e.getValue();
      if (!entry(errs, name, request, requestsPath.key(name))) {
        continue;
      }
      String limit = r.getLimitsMap().get(name);
      if (limit == null || !Quantity.isValid(limit)) {
        continue;
      }
      int cmp = Quantity.compare(request, limit);
      // Kubernetes reports these on the requests map itself, not on the key
      if (cmp != 0 && !overcommitAllowed(name)) {
        errs.add(requestsPath.invalid(request, "must be equal to " + name + " limit of " + limit));
      } else if (cmp > 0) {
        errs.add(requestsPath.invalid(request, "must be less than or equal to " + name + " limit of " + limit));
      }
    }
  }

  /** Returns whether the entry is usable for comparison. */
  private static boolean entry(List<FieldError> errs, String name, String quantity, FieldPath path) {
    int before = errs.size();
    List<String> nameMsgs = NameValidation.qualifiedName(name);
    Checks.format(errs, nameMsgs, path, name);
    if (nameMsgs.isEmpty() && !name.contains("/") && !isStandard(name)) {
      errs.add(path.invalid(name, "must be a standard resource for containers"));
    }
    Checks.quantity(errs, quantity, path);
    return errs.size() == before;
  }

  private static boolean isStandard(String name) {
    return STANDARD.contains(name) || name.startsWith("hugepages-");
  }

  /** Extended resources (devices) and huge pages cannot be shared, so requests must equal limits. */
  private static boolean overcommitAllowed(String name) {
    boolean nativeResource = !name.contains("/") || name.contains("kubernetes.io/");
    return nativeResource && !name.startsWith("hugepages-");
  }
}
