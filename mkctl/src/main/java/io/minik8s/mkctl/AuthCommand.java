package io.minik8s.mkctl;

import picocli.CommandLine.Command;

/** {@code mkctl auth}: inspect authorization. */
@Command(
    name = "auth",
    description = {"Inspect authorization."},
    subcommands = {AuthCanICommand.class})
public final class AuthCommand extends CommandGroup {}
