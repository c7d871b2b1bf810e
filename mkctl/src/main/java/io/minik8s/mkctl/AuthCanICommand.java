package io.minik8s.mkctl;

import io.minik8s.api.ResourceAttributes;
import io.minik8s.api.SubjectAccessReview;
import io.minik8s.api.SubjectAccessReviewSpec;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mkctl auth can-i VERB TYPE[/NAME]}: asks the api-server whether an action is allowed
 * and prints {@code yes} (exit 0) or {@code no} (exit 1), as kubectl does. kubectl asks with a
 * SelfSubjectAccessReview, and for {@code --as} impersonates the user; mkctl asks with the same
 * review about itself, and for {@code --as} with a SubjectAccessReview naming the user, which
 * needs permission to create subjectaccessreviews (cluster-admin has it), much as impersonation
 * needs the impersonate verb.
 */
@Command(
    name = "can-i",
    description = {"Check whether an action is allowed.", "",
        "VERB is a logical Kubernetes API verb like 'get', 'list', 'watch', 'delete', 'create', 'update'.",
        "TYPE is a resource (pods, deployments.apps, pods/log); NAME an object's name."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  # Check to see if I can create pods in any namespace",
        "  mkctl auth can-i create pods --all-namespaces",
        "",
        "  # Check to see if I can read pod logs",
        "  mkctl auth can-i get pods --subresource=log",
        "",
        "  # Check to see if the user alice in group dev can delete deployments in namespace team",
        "  mkctl auth can-i delete deployments.apps -n team --as alice --as-group dev"})
public final class AuthCanICommand extends NestedCommand {
  private static final String AUTHENTICATED = "system:authenticated";

  @Parameters(index = "0", paramLabel = "VERB", description = "The verb.")
  String verb;

  @Parameters(index = "1", paramLabel = "TYPE[/NAME]", description = "The resource, and optionally an object's name.")
  String target;

  @Option(names = {"-A", "--all-namespaces"}, description = "Check in all namespaces.")
  boolean allNamespaces;

  @Option(names = "--subresource", paramLabel = "SUBRESOURCE", description = "A subresource, such as log or status.")
  String subresource = "";

  @Option(names = "--as", paramLabel = "USER", description = "The user to ask about instead of oneself.")
  String as;

  @Option(names = "--as-group", paramLabel = "GROUP", description = "A group of the --as user; repeatable.")
  List<String> asGroups = new ArrayList<>();

  @Override
  protected int execute(MkctlContext ctx) {
    if (!asGroups.isEmpty() && (as == null || as.isEmpty())) {
      throw new MkctlException("--as-group needs --as USER: groups are asked about only for another user");
    }
    String typeName = target;
    String name = "";
    int slash = target.indexOf('/');
    if (slash >= 0) {
      typeName = target.substring(0, slash);
      name = target.substring(slash + 1);
    }
    String resource = typeName;
    String group = "";
    String sub = subresource;
    Optional<ResourceType> type = Resources.lookup(typeName);
    if (type.isPresent()) {
      resource = type.get().resource();
      group = type.get().group();
    } else if (!typeName.equals("*")) {
      ctx.err().println("Warning: the server doesn't have a resource type '" + typeName + "'");
    }
    boolean clusterScoped = type.isPresent() && !type.get().namespaced();
    String namespace = allNamespaces || clusterScoped ? "" : ctx.namespace();
    SubjectAccessReviewSpec.Builder spec = SubjectAccessReviewSpec.newBuilder()
        .setResourceAttributes(ResourceAttributes.newBuilder().setVerb(verb).setGroup(group).setResource(resource)
            .setSubresource(sub).setName(name).setNamespace(namespace));
    if (as != null && !as.isEmpty()) {
      // as an impersonated user, the subject is authenticated
      spec.setUser(as).addAllGroups(asGroups).addGroups(AUTHENTICATED);
    }
    SubjectAccessReview answer = ctx.cluster().accessReview(SubjectAccessReview.newBuilder().setSpec(spec).build());
    if (answer.getStatus().getAllowed()) {
      ctx.out().println("yes");
      return 0;
    }
    String reason = answer.getStatus().getReason();
    ctx.out().println(reason.isEmpty() ? "no" : "no - " + reason);
    return 1;
  }
}
