package io.minik8s.mkctl;

import picocli.CommandLine.Command;

/** {@code mkctl token}: bootstrap tokens for joining nodes (kubeadm token). */
@Command(
    name = "token",
    description = {"Manage bootstrap tokens, with which new nodes join the cluster."},
    subcommands = {TokenCreateCommand.class})
public final class TokenCommand extends CommandGroup {}
