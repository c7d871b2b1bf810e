package io.minik8s.apiserver.admission;

import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.PersistentVolumeClaimSpec;
import io.minik8s.client.api.Quantity;
import java.util.List;

/** PersistentVolumeClaims, standalone or as a StatefulSet's volumeClaimTemplates. */
final class PvcValidation {
  private static final List<String> ACCESS_MODES =
      List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");
  private static final List<String> VOLUME_MODES = List.of("Block", "Filesystem");

  private PvcValidation() {}

  static void spec(List<FieldError> errs, PersistentVolumeClaimSpec spec, FieldPath path) {
    FieldPath modes = path.child("accessModes");
    if (spec.getAccessModesCount() == 0) {
      errs.add(modes.required("at least 1 access mode is required"));
    }
    for (String mode : spec.getAccessModesList()) {
      Checks.oneOf(errs, mode, modes, ACCESS_MODES);
    }
    if (spec.getAccessModesList().contains("ReadWriteOncePod") && spec.getAccessModesCount() > 1) {
      errs.add(modes.forbidden("may not use ReadWriteOncePod with other access modes"));
    }
    if (spec.hasSelector()) {
      MetaValidation.labelSelector(errs, spec.getSelector(), path.child("selector"));
    }
    // Kubernetes' path for the size really is resources[storage]
    FieldPath storage = path.child("resources").key("storage");
    String size = spec.getResources().getRequestsMap().get("storage");
    if (size == null) {
      errs.add(storage.required(""));
    } else if (!Quantity.isValid(size)) {
      errs.add(storage.invalid(size, Quantity.FORMAT_ERROR));
    } else if (Quantity.parse(size).signum() <= 0) {
      errs.add(storage.invalid(size, "must be greater than zero"));
    }
    if (spec.hasStorageClassName() && !spec.getStorageClassName().isEmpty()) {
      Checks.format(errs, NameValidation.dns1123Subdomain(spec.getStorageClassName()), path.child("storageClassName"),
          spec.getStorageClassName());
    }
    if (!spec.getVolumeMode().isEmpty()) {
      Checks.oneOf(errs, spec.getVolumeMode(), path.child("volumeMode"), VOLUME_MODES);
    }
  }

  /**
   * A claim's spec is fixed once created (quota and binding depend on it), except that it may be
   * bound to a volume once and its storage request may grow.
   */
  static void update(List<FieldError> errs, PersistentVolumeClaim pvc, PersistentVolumeClaim old) {
    PersistentVolumeClaimSpec spec = pvc.getSpec();
    PersistentVolumeClaimSpec oldSpec = old.getSpec();
    var comparable = spec.toBuilder();
    String oldStorage = oldSpec.getResources().getRequestsMap().get("storage");
    if (oldStorage == null) {
      comparable.getResourcesBuilder().removeRequests("storage");
    } else {
      comparable.getResourcesBuilder().putRequests("storage", oldStorage);
    }
    if (oldSpec.getVolumeName().isEmpty()) {
      comparable.setVolumeName("");
    }
    if (!comparable.build().equals(oldSpec)) {
      errs.add(FieldPath.root("spec").forbidden(
          "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
    }
    String size = spec.getResources().getRequestsMap().get("storage");
    if (size != null && oldStorage != null && Quantity.isValid(size) && Quantity.isValid(oldStorage)
        && Quantity.compare(size, oldStorage) < 0) {
      errs.add(FieldPath.root("spec").child("resources").child("requests").child("storage")
          .forbidden("field can not be less than previous value"));
    }
  }
}
