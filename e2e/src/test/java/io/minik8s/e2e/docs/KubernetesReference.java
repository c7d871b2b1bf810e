package io.minik8s.e2e.docs;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A source file or directory of Kubernetes (or of another project) that a class comment names as
 * the code the class mirrors. The forms a comment may use:
 * <ul>
 *   <li>a path of the kubernetes/kubernetes repository: {@code pkg/...}, {@code plugin/...},
 *       {@code cmd/...}, {@code staging/src/k8s.io/...};
 *   <li>a staging repository by its import path: {@code k8s.io/client-go/tools/cache/...}, which is
 *       {@code staging/src/k8s.io/client-go/tools/cache/...} in kubernetes/kubernetes;
 *   <li>another project by its GitHub path: {@code github.com/flannel-io/flannel/pkg/backend/hostgw}.
 * </ul>
 * A path must start after a space, a parenthesis or a brace ({@code {@code pkg/...}}), so that
 * {@code coordination.k8s.io/v1} is not taken for one.
 */
record KubernetesReference(String repository, String path) implements Comparable<KubernetesReference> {
  static final String KUBERNETES = "kubernetes/kubernetes";
  private static final String PATH_CHARS = "[A-Za-z0-9_.{},*/-]*[A-Za-z0-9_}*/]";
  private static final Pattern REFERENCE = Pattern.compile(
      "(?<=^|[\\s(])(?:\\{@code )?"
          + "(?:github\\.com/(?<owner>[\\w.-]+)/(?<repo>[\\w.-]+)/(?<other>" + PATH_CHARS + ")"
          + "|k8s\\.io/(?<staging>[a-z][\\w-]*/" + PATH_CHARS + ")"
          + "|(?<k8s>(?:pkg|plugin|cmd|staging/src/k8s\\.io)/" + PATH_CHARS + "))");

  /** Every reference in a comment's text, in order, each once. */
  static List<KubernetesReference> in(String text) {
    Set<KubernetesReference> out = new LinkedHashSet<>();
    Matcher m = REFERENCE.matcher(text);
    while (m.find()) {
      if (m.group("other") != null) {
        out.add(new KubernetesReference(m.group("owner") + "/" + m.group("repo"), trim(m.group("other"))));
      } else if (m.group("staging") != null) {
        out.add(new KubernetesReference(KUBERNETES, "staging/src/k8s.io/" + trim(m.group("staging"))));
      } else {
        out.add(new KubernetesReference(KUBERNETES, trim(m.group("k8s"))));
      }
    }
    return List.copyOf(out);
  }

  private static String trim(String path) {
    return path.endsWith(".") ? path.substring(0, path.length() - 1) : path;
  }

  /** The path as shown: the repository's name first unless it is Kubernetes itself. */
  String display() {
    return repository.equals(KUBERNETES) ? path : repository + ": " + path;
  }

  /** A link to the path on GitHub, or null when the path names several ({@code {a,b}}, {@code *}). */
  String url() {
    if (path.contains("{") || path.contains("*")) {
      return null;
    }
    return "https://github.com/" + repository + "/tree/master/" + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
  }

  @Override
  public int compareTo(KubernetesReference o) {
    int c = repository.equals(o.repository) ? 0 : repository.equals(KUBERNETES) ? -1
        : o.repository.equals(KUBERNETES) ? 1 : repository.compareTo(o.repository);
    return c != 0 ? c : path.compareTo(o.path);
  }
}
