package io.minik8s.mkctl;

import io.grpc.StatusRuntimeException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The base of every mkctl command: builds the {@link MkctlContext} from the global options,
 * runs the command, and turns the failures that escape it into kubectl's error lines and exit
 * code 1.
 */
public abstract class MkctlCommand implements Callable<Integer> {
  @Spec
  protected CommandSpec spec;

  @ParentCommand
  protected Mkctl mkctl;

  /** Runs the command; returns the exit code. */
  protected abstract int execute(MkctlContext ctx);

  @Override
  public final Integer call() {
    try (MkctlContext ctx = mkctl.newContext(spec)) {
      try {
        return execute(ctx);
      } catch (MkctlException e) {
        ctx.error(e.getMessage());
        return 1;
      } catch (StatusRuntimeException e) {
        ctx.error(e);
        return 1;
      } catch (java.io.UncheckedIOException e) {
        ctx.error(e.getMessage());
        return 1;
      }
    }
  }
}
