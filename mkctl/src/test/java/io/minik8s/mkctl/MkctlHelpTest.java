package io.minik8s.mkctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MkctlHelpTest {
  private static final List<String> COMMANDS =
      List.of("apply", "create", "get", "describe", "delete", "scale", "version", "api-resources", "help");

  @Test
  void topLevelHelpListsEveryCommandWithItsSummary() {
    MkctlRunner.Result r = new MkctlRunner().run("--help");

    assertThat(r.exitCode()).isZero();
    for (String c : COMMANDS) {
      assertThat(r.out()).containsPattern("(?m)^  " + c + " +\\S");
    }
    assertThat(r.out()).contains("Basic Commands:", "Display one or many resources.", "--server", "--namespace");
  }

  @Test
  void noArgumentsPrintsTheHelpToo() {
    MkctlRunner.Result r = new MkctlRunner().run();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Basic Commands:");
  }

  @ParameterizedTest
  @ValueSource(strings = {"apply", "create", "get", "describe", "delete", "scale", "version", "api-resources"})
  void everyCommandHasHelpWithExamplesAndTheGlobalOptions(String command) {
    MkctlRunner.Result r = new MkctlRunner().run(command, "--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage:", "Examples:", "mkctl " + command, "--server");
  }

  @Test
  void helpCommandPrintsACommandsHelp() {
    MkctlRunner.Result r = new MkctlRunner().run("help", "scale");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("--replicas");
  }

  @Test
  void anUnknownCommandIsAnErrorWithSuggestions() {
    MkctlRunner.Result r = new MkctlRunner().run("gett", "pods");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: unknown command \"gett\" for \"mkctl\"").contains("get");
  }

  @Test
  void anUnknownFlagIsAnErrorPointingAtTheCommandsHelp() {
    MkctlRunner.Result r = new MkctlRunner().run("get", "pods", "--bogus");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: ").contains("--bogus").contains("See 'mkctl get --help' for usage.");
  }

  @Test
  void versionPrintsTheClientVersion() {
    MkctlRunner.Result r = new MkctlRunner().run("version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("Client Version: v");
  }

  @Test
  void apiResourcesListsEveryKindWithShortNames() {
    MkctlRunner.Result r = new MkctlRunner().run("api-resources");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out().lines().findFirst()).contains("NAME                         SHORTNAMES   APIVERSION                     NAMESPACED   KIND");
    assertThat(r.out()).containsPattern("(?m)^pods +po +v1 +true +Pod$")
        .containsPattern("(?m)^deployments +deploy +apps/v1 +true +Deployment$")
        .containsPattern("(?m)^nodes +no +v1 +false +Node$")
        .containsPattern("(?m)^clusterrolebindings +rbac.authorization.k8s.io/v1 +false +ClusterRoleBinding$")
        .containsPattern("(?m)^roles +rbac.authorization.k8s.io/v1 +true +Role$")
        .containsPattern("(?m)^secrets +v1 +true +Secret$")
        .containsPattern("(?m)^certificatesigningrequests +csr +certificates.k8s.io/v1 +false +CertificateSigningRequest$");
  }
}
