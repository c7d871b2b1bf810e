package io.minik8s.mkctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.client.tls.ClientTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiCommandTest {
  @TempDir Path dir;

  MkctlRunner.Result mkctl(String... args) {
    return new MkctlRunner().run(args);
  }

  @Test
  void initMakesThePkiAndAnAdminConfigThatMkctlReads() throws Exception {
    MkctlRunner.Result r = mkctl("pki", "init", "--dir", dir.toString(), "--san", "10.0.0.10", "--server", "10.0.0.10:6443");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("created " + dir.resolve("ca.crt")).contains("admin.conf");
    String conf = Files.readString(dir.resolve("admin.conf"));
    ServerResolver resolver = new ServerResolver(Map.<String, String>of()::get, () -> Optional.of(conf), dir);
    assertThat(resolver.resolve(null)).isEqualTo("10.0.0.10:6443");
    ClientTls tls = resolver.tls(ServerResolver.TlsFlags.NONE);
    assertThat(tls.caFile()).isEqualTo(dir.resolve("ca.crt").toAbsolutePath());
    assertThat(tls.certFile()).isEqualTo(dir.resolve("admin.crt").toAbsolutePath());
    assertThat(tls.sslContext()).isPresent();

    MkctlRunner.Result again = mkctl("pki", "init", "--dir", dir.toString(), "--san", "10.0.0.10");
    assertThat(again.out()).as("a second init keeps everything").doesNotContain("created ");
  }

  @Test
  void nodeAndUserNeedTheCaAndRefuseBadNames() {
    MkctlRunner.Result none = mkctl("pki", "node", "node-1", "--dir", dir.toString());
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.err()).contains("no cluster CA").contains("pki init");
    mkctl("pki", "init", "--dir", dir.toString());
    assertThat(mkctl("pki", "node", "node-1", "--dir", dir.toString(), "--ip", "10.0.0.11").exitCode()).isZero();
    assertThat(dir.resolve("node-node-1.crt")).exists();
    MkctlRunner.Result user = mkctl("pki", "user", "alice", "--group", "dev", "--dir", dir.toString());
    assertThat(user.exitCode()).as(user.toString()).isZero();
    assertThat(dir.resolve("users/alice.conf")).exists();
    MkctlRunner.Result impostor = mkctl("pki", "user", "system:node:node-2", "--dir", dir.toString());
    assertThat(impostor.exitCode()).isEqualTo(1);
    assertThat(impostor.err()).contains("mkctl pki node");
    MkctlRunner.Result bad = mkctl("pki", "init", "--dir", dir.toString(), "--san", "not a name");
    assertThat(bad.err()).contains("\"not a name\"");
  }

  @Test
  void withoutACertificateAuthorityMkctlSaysHowToGetOne() {
    ServerResolver resolver = new ServerResolver(Map.<String, String>of()::get, () -> Optional.of("server: 10.0.0.1:6443\n"), dir);
    assertThatThrownBy(() -> resolver.tls(ServerResolver.TlsFlags.NONE))
        .hasMessageContaining("no certificate-authority").hasMessageContaining("--insecure-plaintext");
    assertThat(resolver.tls(new ServerResolver.TlsFlags(null, null, null, true)).isPlaintext()).isTrue();
  }
}
