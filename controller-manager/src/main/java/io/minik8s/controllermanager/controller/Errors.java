package io.minik8s.controllermanager.controller;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Which api-server failures mean what to a controller. */
public final class Errors {
  private Errors() {}

  public static boolean isNotFound(Throwable e) {
    return e instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.NOT_FOUND;
  }

  public static boolean isAlreadyExists(Throwable e) {
    return e instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.ALREADY_EXISTS;
  }

  public static boolean isConflict(Throwable e) {
    return e instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.ABORTED;
  }
}
