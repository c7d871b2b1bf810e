package io.minik8s.kubelet.container;

import java.util.List;
import java.util.Map;

/**
 * One container to create: the engine-neutral result of turning a pod's container spec into
 * what the runtime runs. {@code entrypoint}/{@code cmd} null means the image's own; {@code dns}
 * null means the engine's default resolver.
 */
public record ContainerConfig(
    String name,
    String image,
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    String workingDir,
    Map<String, String> labels,
    List<String> binds,
    String networkMode,
    String hostname,
    long nanoCpus,
    long memoryBytes,
    io.minik8s.kubelet.pod.PodDns dns) {}
