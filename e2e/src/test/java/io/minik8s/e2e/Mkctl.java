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

  static Result run(String server, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("--server", server));
    all.addAll(TestPki.shared().mkctlFlags());
    all.addAll(java.util.List.of(args));
    String[] full = all.toArray(String[]::new);
    int code = io.minik8s.mkctl.Mkctl.run(Environment.system(), new PrintWriter(out), new PrintWriter(err), full);
    return new Result(code, out.toString(), err.toString());
  }
}
