package io.minik8s.controllermanager.controller;

import io.minik8s.api.IntOrString;

/** maxSurge / maxUnavailable: an int, or a percentage of a total rounded up or down. */
public final class IntOrPercent {
  private IntOrPercent() {}

  public static int scaled(IntOrString v, int total, boolean roundUp) {
    if (v.hasIntVal()) {
      return v.getIntVal();
    }
    String s = v.getStrVal();
    if (s.isEmpty()) {
      return 0;
    }
    if (!s.endsWith("%")) {
      throw new IllegalArgumentException("invalid value for IntOrString: invalid value \"" + s + "\"");
    }
    int percent = Integer.parseInt(s.substring(0, s.length() - 1));
    long product = (long) percent * total;
    return (int) (roundUp ? (product + 99) / 100 : product / 100);
  }
}
