package io.minik8s.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command on this host run from the repository root (bin/minik8s, deploy/ scripts, docker),
 * its output captured and, when asked, echoed to the test log line by line as it comes. A command
 * that outlives its time is killed with everything it started.
 */
final class HostCommand {
  /** The repository root: tests run in the e2e module's directory. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  record Result(int exitCode, String out) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n" + out;
    }
  }

  private HostCommand() {}

  static Result run(Map<String, String> env, Duration timeout, boolean echo, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    StringBuilder out = new StringBuilder();
    Thread reader = Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (out) {
            out.append(line).append('\n');
          }
          if (echo) {
            System.out.println("  | " + line);
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    });
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
      reader.join(5000);
      throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout + ":\n" + out);
    }
    reader.join(5000);
    synchronized (out) {
      return new Result(p.exitValue(), out.toString());
    }
  }

  /** A short command (docker ps, ip addr...), quietly; its output. */
  static String output(String... command) throws IOException, InterruptedException {
    Result r = run(Map.of(), Duration.ofMinutes(1), false, command);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + r);
    }
    return r.out();
  }

  /** Every shaded jar bin/ and deploy/ run must exist: the reactor built them before this module. */
  static void requireJars(List<String> components) {
    for (String c : components) {
      java.io.File[] jars = ROOT.resolve(c).resolve("target").toFile()
          .listFiles((dir, name) -> name.startsWith(c + "-") && name.endsWith("-all.jar"));
      if (jars == null || jars.length == 0) {
        throw new IllegalStateException("no " + c + "/target/" + c + "-*-all.jar: run the tests through the reactor "
            + "(./mvnw -B verify, or -pl e2e -am), which packages every module first");
      }
    }
  }
}
