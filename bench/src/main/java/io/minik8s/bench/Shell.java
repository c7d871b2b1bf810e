package io.minik8s.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command of this host (docker, ip, wrk) to its end, but never longer than a bound. */
public final class Shell {
  /** The exit code and what the command printed (both streams). */
  public record Result(int exitCode, String out) {
    public List<String> lines() {
      return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    Result orThrow(List<String> cmd) {
      if (exitCode != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + exitCode + "): " + out.strip());
      }
      return this;
    }
  }

  private Shell() {}

  public static Result run(Duration timeout, String... cmd) throws IOException, InterruptedException {
    return run(timeout, List.of(cmd));
  }

  public static Result run(Duration timeout, List<String> cmd) throws IOException, InterruptedException {
    // output to a file, so that a command that prints nothing and hangs still meets the timeout
    Path out = Files.createTempFile("minik8s-bench-", ".out");
    try {
      Process p;
      try {
        p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      } catch (IOException e) {
        throw new IOException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + timeout.toSeconds() + " s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  public static Result docker(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("docker"));
    cmd.addAll(List.of(args));
    return run(Duration.ofMinutes(1), cmd);
  }
}
