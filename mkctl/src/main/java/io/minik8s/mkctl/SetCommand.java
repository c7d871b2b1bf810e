package io.minik8s.mkctl;

import picocli.CommandLine.Command;

/** {@code mkctl set}: change a field of existing objects. */
@Command(
    name = "set",
    description = {"Set specific features on objects.", "", "Only image is supported: the container images of a pod template."},
    subcommands = {SetImageCommand.class})
public final class SetCommand extends CommandGroup {}
