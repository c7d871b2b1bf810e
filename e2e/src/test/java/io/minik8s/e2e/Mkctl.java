package io.minik8s.e2e;

import io.minik8s.mkctl.Environment;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs mkctl in-process against a real api-server, capturing its output and exit code. */
final class Mkctl {
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private Mkctl() {}

  /** mkctl's arguments to run {@code args} against {@code server} with these TLS files. */
  static String[] args(io.minik8s.client.tls.ClientTls tls, String server, String... args) {
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("--server", server,
        "--certificate-authority", tls.caFile().toString(), "--client-certificate", tls.certFile().toString(),
        "--client-key", tls.keyFile().toString()));
    all.addAll(java.util.List.of(args));
    return all.toArray(String[]::new);
  }

  /** As the admin of the test PKI. */
  static Result run(String server, String... args) {
    return runAs(TestPki.shared().admin(), server, args);
  }

  /** With a bearer token (null: none) and no client certificate: the token alone says who calls. */
  static Result runWithToken(String token, String server, String... args) {
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("--server", server,
        "--certificate-authority", TestPki.shared().ca().toString()));
    if (token != null) {
      all.addAll(java.util.List.of("--token", token));
    }
    all.addAll(java.util.List.of(args));
    return exec(all.toArray(String[]::new));
  }

  /** With these TLS files (a cluster of its own has its own PKI). */
  static Result runAs(io.minik8s.client.tls.ClientTls tls, String server, String... args) {
    return exec(args(tls, server, args));
  }

  private static Result exec(String[] full) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = io.minik8s.mkctl.Mkctl.run(Environment.system(), new PrintWriter(out), new PrintWriter(err), full);
    return new Result(code, out.toString(), err.toString());
  }
}
