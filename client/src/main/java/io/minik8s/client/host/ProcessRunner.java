package io.minik8s.client.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host command (iproute2, iptables) with a timeout that really fires: the output goes to a file,
 * not a pipe read before waiting, since reading a pipe blocks until the command ends and a hung
 * command would then never time out.
 */
public final class ProcessRunner {
  public record Result(int exitCode, String output) {}

  private ProcessRunner() {}

  public static Result run(List<String> cmd, Duration timeout) {
    String line = String.join(" ", cmd);
    Path out = null;
    try {
      out = Files.createTempFile("minik8s-cmd", ".out");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(line + " timed out after " + timeout.toSeconds() + "s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(line + " interrupted", e);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          // a temp file left behind is harmless
        }
      }
    }
  }
}
