package io.minik8s.scheduler.framework;

import java.util.List;

/** A filter's verdict on one node: fits, or does not with the reasons Kubernetes prints. */
public record Status(boolean success, List<String> reasons) {
  public static final Status SUCCESS = new Status(true, List.of());

  public static Status unschedulable(String... reasons) {
    return new Status(false, List.of(reasons));
  }

  public static Status unschedulable(List<String> reasons) {
    return new Status(false, List.copyOf(reasons));
  }
}
