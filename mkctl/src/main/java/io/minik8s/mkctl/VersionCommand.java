package io.minik8s.mkctl;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mkctl version}: the client's version. */
@Command(
    name = "version",
    description = {
        "Print the client version information.",
        "",
        "The api-server offers no version call, so only the client's version is printed.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  mkctl version",
    })
public final class VersionCommand extends MkctlCommand {
  @Option(names = "--client", description = "Print the client version only (the default: accepted for kubectl habits).")
  boolean clientOnly;

  @Override
  protected int execute(MkctlContext ctx) {
    ctx.out().println("Client Version: v" + clientVersion());
    return 0;
  }

  /** The version mkctl was built as, from its build-time properties. */
  public static String clientVersion() {
    try (InputStream in = VersionCommand.class.getResourceAsStream("/mkctl-version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version", "");
        if (!v.isEmpty() && !v.startsWith("${")) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall through to the unknown version
    }
    return "0.0.0-unknown";
  }
}
