package io.minik8s.client.codec;

/**
 * Where a node sits: the kind it belongs to ({@code root}) and its Kubernetes-style path inside
 * that object, such as {@code spec.template.spec.containers[0].image} or
 * {@code metadata.labels[app]}; {@code depth} counts the steps, to stop runaway nesting.
 */
record FieldPath(String root, String path, int depth) {
  static FieldPath of(String root) {
    return new FieldPath(root, "", 0);
  }

  FieldPath field(String name) {
    return new FieldPath(root, path.isEmpty() ? name : path + "." + name, depth + 1);
  }

  FieldPath index(int i) {
    return new FieldPath(root, path + "[" + i + "]", depth + 1);
  }

  FieldPath key(String key) {
    return new FieldPath(root, path + "[" + key + "]", depth + 1);
  }

  /** {@code Deployment.spec}: the holder named in "unknown field ... in ..." messages. */
  String described() {
    if (root.isEmpty()) {
      return path.isEmpty() ? "the object" : path;
    }
    return path.isEmpty() ? root : root + "." + path;
  }

  @Override
  public String toString() {
    return path;
  }
}
