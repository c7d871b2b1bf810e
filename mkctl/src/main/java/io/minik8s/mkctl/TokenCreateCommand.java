package io.minik8s.mkctl;

import io.minik8s.client.bootstrap.BootstrapToken;
import io.minik8s.client.bootstrap.CaCertHash;
import io.minik8s.client.component.Durations;
import io.minik8s.client.pki.PemFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mkctl token create}: a new bootstrap token (kubeadm's {@code token create
 * --print-join-command}, cmd/kubeadm/app/cmd/token.go). It stores the Secret
 * {@code kube-system/bootstrap-token-<id>} (the token's secret half only as its hash) and prints
 * the token, then the kubelet flags that join a node with it, pinning the cluster CA by the hash
 * of its public key so that the node cannot be handed another CA.
 */
@Command(
    name = "create",
    description = {"Create a bootstrap token and print it, then the kubelet flags that join a node with it.", "",
        "The token has kubeadm's form [a-z0-9]{6}.[a-z0-9]{16}. The api-server keeps only the hash of its secret "
            + "half in the Secret kube-system/bootstrap-token-<id>. --ca-cert-hash pins the cluster CA (from "
            + "--certificate-authority or the config file) by the SHA-256 of its public key."},
    footerHeading = "%nExamples:%n",
    footer = {"  # A token for a day, and the flags of the joining kubelet", "  mkctl token create --ttl 24h"})
public final class TokenCreateCommand extends NestedCommand {
  @Option(names = "--ttl", defaultValue = "24h", paramLabel = "DURATION",
      description = "How long the token authenticates (e.g. 30m, 24h); 0 means it never expires. Default: 24h.")
  String ttl;

  @Override
  protected int execute(MkctlContext ctx) {
    Duration life;
    try {
      life = ttl.equals("0") ? Duration.ZERO : Durations.parse(ttl);
    } catch (IllegalArgumentException e) {
      throw new MkctlException("invalid --ttl \"" + ttl + "\": " + e.getMessage());
    }
    if (life.isNegative()) {
      throw new MkctlException("invalid --ttl \"" + ttl + "\": must not be negative");
    }
    Connection conn = ctx.connection();
    Path ca = conn.tls().caFile();
    if (ca == null) {
      throw new MkctlException("no cluster CA to pin: give --certificate-authority or a config file with "
          + "certificate-authority: (a joining node must check the CA it is handed)");
    }
    String pin;
    try {
      pin = CaCertHash.of(PemFiles.readCertificate(ca));
    } catch (IOException e) {
      throw new MkctlException("cannot read the cluster CA " + ca + ": " + e.getMessage());
    }
    BootstrapToken token = BootstrapToken.generate();
    Instant expires = life.isZero() ? Instant.parse("9999-12-31T23:59:59Z") : ctx.clock().instant().plus(life);
    ctx.cluster().create(token.toSecret(expires));
    ctx.out().println(token);
    ctx.out().println("kubelet --api-servers " + conn.servers() + " --bootstrap-token " + token
        + " --ca-cert-hash " + pin);
    return 0;
  }
}
