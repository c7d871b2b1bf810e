package io.minik8s.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a component's Prometheus /metrics (its health port) the way the tests need it. */
final class Metrics {
  private Metrics() {}

  /** One sample, by name and one label, e.g. {@code scheduler_pending_pods{queue="active"}}. */
  static double sample(int healthPort, String name, String label, String value) {
    String text;
    try (HttpClient http = HttpClient.newHttpClient()) {
      text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*" + label + "=\""
        + Pattern.quote(value) + "\"[^}]*\\} (\\S+)$").matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + "{" + label + "=\"" + value + "\"} in /metrics");
    }
    return Double.parseDouble(m.group(1));
  }
}
