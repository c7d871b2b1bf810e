package io.minik8s.mkctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerResolverTest {
  private static final String CONFIG = "# written by the installer\nserver: 10.0.0.3:6443,10.0.0.4:6443\n";

  private static ServerResolver resolver(Map<String, String> env, String config) {
    return new ServerResolver(env::get, () -> Optional.ofNullable(config));
  }

  @Test
  void theFlagWinsOverEnvironmentAndConfigFile() {
    ServerResolver r = resolver(Map.of("MKCTL_SERVER", "10.0.0.2:6443"), CONFIG);
    assertThat(r.resolve("10.0.0.1:6443,10.0.0.9:6443")).isEqualTo("10.0.0.1:6443,10.0.0.9:6443");
  }

  @Test
  void theEnvironmentWinsOverTheConfigFile() {
    ServerResolver r = resolver(Map.of("MKCTL_SERVER", "10.0.0.2:6443"), CONFIG);
    assertThat(r.resolve(null)).isEqualTo("10.0.0.2:6443");
  }

  @Test
  void theConfigFileIsUsedWhenNeitherFlagNorEnvironmentIsSet() {
    assertThat(resolver(Map.of(), CONFIG).resolve(null)).isEqualTo("10.0.0.3:6443,10.0.0.4:6443");
    assertThat(resolver(Map.of("MKCTL_SERVER", "  "), CONFIG).resolve("")).isEqualTo("10.0.0.3:6443,10.0.0.4:6443");
  }

  @Test
  void theDefaultIsLocalhostWhenNothingIsConfigured() {
    assertThat(resolver(Map.of(), null).resolve(null)).isEqualTo("127.0.0.1:6443");
    assertThat(resolver(Map.of(), "other: x\n").resolve(null)).isEqualTo("127.0.0.1:6443");
  }

  @Test
  void theConfigLineMayBeQuotedAndCommented() {
    assertThat(ServerResolver.serverFromConfig("server: \"a:1,b:2\"\n")).contains("a:1,b:2");
    assertThat(ServerResolver.serverFromConfig("  server: a:1   # the lab cluster\n")).contains("a:1");
    assertThat(ServerResolver.serverFromConfig("# server: a:1\n")).isEmpty();
  }

  @Test
  void theTokenComesFromTheFlagThenTheEnvironmentThenTheConfigFileElseNone() {
    String config = CONFIG + "token: \"from-file\"\n";
    assertThat(resolver(Map.of("MKCTL_TOKEN", "from-env"), config).resolveToken("from-flag")).contains("from-flag");
    assertThat(resolver(Map.of("MKCTL_TOKEN", "from-env"), config).resolveToken(null)).contains("from-env");
    assertThat(resolver(Map.of(), config).resolveToken(" ")).contains("from-file");
    assertThat(resolver(Map.of(), CONFIG).resolveToken(null)).isEmpty();
  }
}
