package io.minik8s.mkctl;

import io.minik8s.api.Container;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.client.api.Resources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mkctl set image TYPE/NAME CONTAINER=IMAGE...}: a new image, hence a new rollout. */
@Command(
    name = "image",
    description = {"Update existing container image(s) of resources.", "", "'*' as the container name updates every container."},
    footerHeading = "%nExamples:%n",
    footer = {"  mkctl set image deployment/nginx-deployment nginx=nginx:1.16.1"})
public final class SetImageCommand extends NestedCommand {
  @Parameters(paramLabel = "TYPE/NAME CONTAINER=IMAGE", arity = "2..*")
  List<String> args = new ArrayList<>();

  @Override
  protected int execute(MkctlContext ctx) {
    List<String> resources = new ArrayList<>();
    Map<String, String> images = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq > 0) {
        images.put(a.substring(0, eq), a.substring(eq + 1));
      } else {
        resources.add(a);
      }
    }
    if (images.isEmpty()) {
      throw new MkctlException("at least one image update is required");
    }
    Workloads.Ref ref = Workloads.one(resources,
        Set.of(Resources.DEPLOYMENTS, Resources.STATEFUL_SETS, Resources.REPLICA_SETS), "set image");
    Workloads.update(ctx, ref, obj -> {
      PodTemplateSpec.Builder t = Workloads.template(obj).toBuilder();
      for (Map.Entry<String, String> e : images.entrySet()) {
        boolean found = false;
        for (Container.Builder c : t.getSpecBuilder().getContainersBuilderList()) {
          if (e.getKey().equals("*") || c.getName().equals(e.getKey())) {
            c.setImage(e.getValue());
            found = true;
          }
        }
        if (!found) {
          throw new MkctlException("unable to find container named \"" + e.getKey() + "\"");
        }
      }
      return Workloads.withTemplate(obj, t.build());
    });
    ctx.out().println(ref.display() + " image updated");
    return 0;
  }
}
