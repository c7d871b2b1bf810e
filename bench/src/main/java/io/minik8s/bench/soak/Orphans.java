package io.minik8s.bench.soak;

import io.minik8s.api.Pod;
import io.minik8s.bench.Shell;
import io.minik8s.client.api.Resources;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * "No container is left on Docker for a pod the API no longer has": the containers the kubelets
 * made for the soak's namespace (labels io.minik8s.node and io.kubernetes.pod.*) against the
 * pods the API has. Only the soak's own namespace is looked at, so that other clusters sharing
 * this Docker engine (tests, other users) do not count.
 */
final class Orphans {
  record Result(int containers, List<String> orphans) {}

  private Orphans() {}

  static Result check(Api api, String namespace, List<String> nodes) throws IOException, InterruptedException {
    Shell.Result ps = Shell.docker("ps", "-a", "--filter", "label=io.kubernetes.pod.namespace=" + namespace,
        "--format", "{{.Label \"io.minik8s.node\"}} {{.Label \"io.kubernetes.pod.uid\"}} {{.Label \"io.kubernetes.pod.name\"}} {{.Names}}");
    if (ps.exitCode() != 0) {
      throw new IllegalStateException("docker ps failed: " + ps.out().strip());
    }
    Set<String> uids = api.<Pod>list(Resources.PODS, namespace, "").stream().map(p -> p.getMetadata().getUid())
        .collect(Collectors.toSet());
    int containers = 0;
    List<String> orphans = new ArrayList<>();
    for (String line : ps.lines()) {
      String[] f = line.split(" ");
      if (f.length < 4 || !nodes.contains(f[0])) {
        continue;
      }
      containers++;
      if (!uids.contains(f[1])) {
        orphans.add(f[3] + " (pod " + f[2] + ", uid " + f[1] + ", node " + f[0] + ")");
      }
    }
    return new Result(containers, orphans);
  }
}
