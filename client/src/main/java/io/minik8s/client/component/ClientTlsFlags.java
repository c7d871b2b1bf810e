package io.minik8s.client.component;

import io.minik8s.client.tls.ClientTls;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How a component reaches the api-server, as a Picocli mixin: {@code @Mixin ClientTlsFlags tls;}.
 * Mutual TLS by default: the cluster CA to trust and this component's certificate and key, whose
 * subject is its identity (made by {@code mkctl pki init}/{@code pki node}). Kubernetes' components
 * take these from a kubeconfig file; here they are flags beside {@code --api-servers}, which
 * already lists every api-server to fail over between (a kubeconfig names one server). Plain text
 * needs {@code --insecure-plaintext}, for an api-server started with the same flag.
 */
public final class ClientTlsFlags {
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--ca-file", paramLabel = "FILE",
      description = "The cluster CA (PEM) the api-server's certificate must be signed by (mkctl pki init: DIR/ca.crt).")
  Path caFile;

  @Option(names = "--cert-file", paramLabel = "FILE", description = "This component's client certificate (PEM).")
  Path certFile;

  @Option(names = "--key-file", paramLabel = "FILE", description = "The private key of --cert-file (PEM).")
  Path keyFile;

  @Option(names = "--insecure-plaintext",
      description = "Talk to the api-server in plain text, without TLS or identity (development only; the api-server must be "
          + "started with --insecure-plaintext too).")
  boolean insecurePlaintext;

  /** The TLS settings the flags give; a usage error naming the missing flags when neither TLS nor plain text was asked for. */
  public ClientTls tls() {
    try {
      return parse();
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new CommandLine.ParameterException(command.commandLine(), e.getMessage());
    }
  }

  private ClientTls parse() {
    if (insecurePlaintext) {
      if (caFile != null || certFile != null || keyFile != null) {
        throw new IllegalArgumentException("--insecure-plaintext cannot be combined with --ca-file/--cert-file/--key-file");
      }
      return ClientTls.plaintext();
    }
    if (caFile == null || certFile == null || keyFile == null) {
      throw new IllegalArgumentException("the api-server is reached over mutual TLS: give --ca-file, --cert-file and "
          + "--key-file (mkctl pki init makes them), or --insecure-plaintext for a development cluster in plain text");
    }
    return ClientTls.mutual(caFile, certFile, keyFile);
  }
}
