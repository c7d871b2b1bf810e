package io.minik8s.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The images the kubelet tests run, built locally once per JVM (no registry here) by
 * deploy/images/build-test-images.sh: docker build from a temporary context with the host's
 * static busybox. Already present images are not rebuilt.
 */
final class TestImages {
  static final String PAUSE = "registry.k8s.io/pause:3.10";
  static final String BUSYBOX = "minik8s/busybox:test";
  static final String NGINX = "nginx:1.15.4";
  private static boolean ready;

  private TestImages() {}

  static synchronized void ensure() throws IOException, InterruptedException {
    if (ready) {
      return;
    }
    if (run(List.of("docker", "info")) != 0) {
      throw new IllegalStateException("the kubelet tests need a running Docker engine: `docker info` failed "
          + "(start dockerd; .ci/run does)");
    }
    if (run(List.of("docker", "image", "inspect", PAUSE, BUSYBOX, NGINX)) != 0) {
      Path script = Path.of("..", "deploy", "images", "build-test-images.sh").toAbsolutePath().normalize();
      if (!Files.isExecutable(script)) {
        throw new IllegalStateException("missing " + script);
      }
      if (run(List.of(script.toString())) != 0) {
        throw new IllegalStateException("building the test images failed (needs /bin/busybox from busybox-static)");
      }
    }
    ready = true;
  }

  static int run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
