package io.minik8s.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk (Debian's package) once against a URL, bounded in time, and reads its report. */
final class Wrk {
  /** What one wrk run measured; latencies in milliseconds. */
  record Result(double requestsPerSecond, long requests, double p50, double p90, double p99, long socketErrors,
      long non2xx) {}

  private final String binary;
  private final int threads;
  private final int connections;

  Wrk(String binary, int threads, int connections) {
    this.binary = binary;
    this.threads = threads;
    this.connections = connections;
  }

  /** wrk's version line; throws when wrk is not installed. */
  String version() throws IOException, InterruptedException {
    // wrk prints its usage (with the version) and exits 1 when given no URL
    try {
      return Shell.run(Duration.ofSeconds(10), binary, "--version").lines().stream().findFirst().orElse("");
    } catch (IOException e) {
      throw new IOException(e.getMessage() + " (apt-get install wrk)", e);
    }
  }

  Result measure(String url, int seconds) throws IOException, InterruptedException {
    List<String> cmd = List.of(binary, "-t" + threads, "-c" + connections, "-d" + seconds + "s",
        "--latency", url);
    String out = Shell.run(Duration.ofSeconds(seconds + 30L), cmd).orThrow(cmd).out();
    try {
      return parse(out);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("cannot read wrk's report (" + e.getMessage() + "):\n" + out, e);
    }
  }

  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern COUNT = Pattern.compile("(\\d+) requests in ");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

  /** Reads the report of {@code wrk --latency}. */
  static Result parse(String report) {
    long socketErrors = 0;
    Matcher m = SOCKET_ERRORS.matcher(report);
    if (m.find()) {
      for (int g = 1; g <= 4; g++) {
        socketErrors += Long.parseLong(m.group(g));
      }
    }
    Matcher non2xx = NON_2XX.matcher(report);
    return new Result(Double.parseDouble(find(RATE, report)), Long.parseLong(find(COUNT, report)),
        percentile(report, "50"), percentile(report, "90"), percentile(report, "99"), socketErrors,
        non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0);
  }

  private static String find(Pattern p, String report) {
    Matcher m = p.matcher(report);
    if (!m.find()) {
      throw new IllegalArgumentException("no match for " + p.pattern());
    }
    return m.group(1);
  }

  /** A line of the latency distribution, such as {@code "     99%    3.05ms"}, in milliseconds. */
  private static double percentile(String report, String pct) {
    Matcher m = Pattern.compile("(?m)^\\s*" + pct + "%\\s+([0-9.]+)(us|ms|s|m)\\s*$").matcher(report);
    if (!m.find()) {
      throw new IllegalArgumentException("no " + pct + "% latency (was wrk run with --latency?)");
    }
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v / 1000;
      case "ms" -> v;
      case "s" -> v * 1000;
      default -> v * 60_000;
    };
  }
}
