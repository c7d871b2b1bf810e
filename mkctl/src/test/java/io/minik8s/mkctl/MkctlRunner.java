package io.minik8s.mkctl;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** Runs mkctl in-process against a {@link FakeCluster}, capturing stdout, stderr and the exit code. */
final class MkctlRunner {
  /** A fixed "now": one hour after the fake's creation timestamps. */
  static final Instant NOW = Instant.parse("2024-05-01T11:00:00Z");

  record Result(int exitCode, String out, String err) {}

  final FakeCluster cluster = new FakeCluster();
  private String stdin = "";

  MkctlRunner stdin(String text) {
    this.stdin = text;
    return this;
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Environment env = new Environment(
        new ServerResolver(name -> null, () -> Optional.of("insecure-plaintext: true\n")), // the fake cluster needs no TLS
        servers -> cluster,
        Clock.fixed(NOW, ZoneOffset.UTC),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    int code = Mkctl.run(env, new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }
}
