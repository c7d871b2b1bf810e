package io.minik8s.bench;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a benchmark started, undone in reverse order exactly once: when the run ends, fails, or
 * the JVM is asked to stop (Ctrl-C), so that no container, address or etcd process outlives it.
 * A step that fails is reported and the others still run.
 */
final class Cleanup implements AutoCloseable {
  interface Step {
    void run() throws Exception;
  }

  private record Named(String what, Step step) {}

  private final Deque<Named> steps = new ArrayDeque<>();
  private final Thread hook = new Thread(this::runAll, "cleanup");
  private boolean done;

  Cleanup() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Registers how to undo something just done. */
  synchronized void undo(String what, Step step) {
    steps.push(new Named(what, step));
  }

  /** Registers the close of a resource just started; returns it. */
  <T extends AutoCloseable> T add(String what, T resource) {
    undo(what, resource::close);
    return resource;
  }

  private synchronized void runAll() {
    if (done) {
      return;
    }
    done = true;
    while (!steps.isEmpty()) {
      Named n = steps.pop();
      try {
        n.step().run();
      } catch (Exception e) {
        System.err.println("cleanup: " + n.what() + " failed: " + e);
      }
    }
  }

  @Override
  public void close() {
    runAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is running this
    }
  }
}
