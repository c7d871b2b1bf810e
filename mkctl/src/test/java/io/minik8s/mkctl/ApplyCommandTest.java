package io.minik8s.mkctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Deployment;
import io.minik8s.api.Service;
import io.minik8s.client.api.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyCommandTest {
  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: nginx-deployment
        labels:
          app: nginx
      spec:
        replicas: %d
        selector:
          matchLabels:
            app: nginx
        template:
          metadata:
            labels:
              app: nginx
          spec:
            containers:
              - name: nginx
                image: nginx:1.15.4
      """;

  private static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata:
        name: frontend
      spec:
        type: NodePort
        selector:
          tier: frontend
        ports:
          - port: 80
            nodePort: 30080
      """;

  @TempDir
  Path dir;

  private final MkctlRunner mkctl = new MkctlRunner();

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void createsThenReportsUnchangedThenConfigured() throws IOException {
    Path file = write("deploy.yaml", DEPLOYMENT.formatted(3));

    MkctlRunner.Result first = mkctl.run("apply", "-f", file.toString());
    assertThat(first.exitCode()).isZero();
    assertThat(first.out()).isEqualTo("deployment.apps/nginx-deployment created\n");

    MkctlRunner.Result again = mkctl.run("apply", "-f", file.toString());
    assertThat(again.out()).isEqualTo("deployment.apps/nginx-deployment unchanged\n");

    write("deploy.yaml", DEPLOYMENT.formatted(5));
    MkctlRunner.Result changed = mkctl.run("apply", "-f", file.toString());
    assertThat(changed.out()).isEqualTo("deployment.apps/nginx-deployment configured\n");
    Deployment live = (Deployment) mkctl.cluster.stored(Resources.DEPLOYMENTS, "default", "nginx-deployment");
    assertThat(live.getSpec().getReplicas()).isEqualTo(5);
  }

  @Test
  void aDirectoryIsAppliedFileByFileInNameOrderAndTheNamespaceFlagIsUsed() throws IOException {
    write("b-service.yml", SERVICE);
    write("a-deploy.yaml", DEPLOYMENT.formatted(1));
    write("notes.txt", "not a manifest");

    MkctlRunner.Result r = mkctl.run("apply", "-n", "shop", "-f", dir.toString());

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("deployment.apps/nginx-deployment created\nservice/frontend created\n");
    Service svc = (Service) mkctl.cluster.stored(Resources.SERVICES, "shop", "frontend");
    assertThat(svc.getSpec().getPorts(0).getNodePort()).isEqualTo(30080);
  }

  @Test
  void standardInputIsReadForDash() {
    MkctlRunner.Result r = mkctl.stdin(SERVICE).run("apply", "-f", "-");
    assertThat(r.out()).isEqualTo("service/frontend created\n");
  }

  @Test
  void aFileThatDoesNotParseIsNotAppliedAtAllAndTheErrorNamesFileAndLine() throws IOException {
    Path bad = write("bad.yaml", SERVICE + "---\n" + DEPLOYMENT.formatted(1).replace("replicas: 1", "replicas: many"));

    MkctlRunner.Result r = mkctl.run("apply", "-f", bad.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: " + bad + ":").contains("spec.replicas");
    assertThat(mkctl.cluster.size()).isZero();
  }

  @Test
  void aFailingObjectIsReportedAndTheOthersAreStillApplied() throws IOException {
    Path file = write("all.yaml", DEPLOYMENT.formatted(1).replace("  name: nginx-deployment\n",
        "  name: nginx-deployment\n  namespace: prod\n") + "---\n" + SERVICE);

    MkctlRunner.Result r = mkctl.run("apply", "-n", "dev", "-f", file.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("the namespace from the provided object \"prod\" does not match the namespace \"dev\"");
    assertThat(r.out()).isEqualTo("service/frontend created\n");
  }

  @Test
  void createRefusesAnExistingObject() throws IOException {
    Path file = write("svc.yaml", SERVICE);
    assertThat(mkctl.run("create", "-f", file.toString()).out()).isEqualTo("service/frontend created\n");

    MkctlRunner.Result again = mkctl.run("create", "-f", file.toString());

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("Error from server (AlreadyExists): error when creating \"" + file
        + "\": services \"frontend\" already exists\n");
  }

  @Test
  void aMissingFileIsAnError() {
    MkctlRunner.Result r = mkctl.run("apply", "-f", dir.resolve("nope.yaml").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("does not exist");
  }
}
