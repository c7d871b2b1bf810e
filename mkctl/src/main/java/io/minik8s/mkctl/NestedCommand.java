package io.minik8s.mkctl;

import io.grpc.StatusRuntimeException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The base of second-level commands ({@code rollout status}, {@code set image}): like
 * {@link MkctlCommand}, with the global options taken from the root command.
 */
public abstract class NestedCommand implements Callable<Integer> {
  @Spec
  protected CommandSpec spec;

  protected abstract int execute(MkctlContext ctx);

  @Override
  public final Integer call() {
    Mkctl root = (Mkctl) spec.root().userObject();
    try (MkctlContext ctx = root.newContext(spec)) {
      try {
        return execute(ctx);
      } catch (MkctlException e) {
        ctx.error(e.getMessage());
        return 1;
      } catch (StatusRuntimeException e) {
        ctx.error(e);
        return 1;
      }
    }
  }
}
