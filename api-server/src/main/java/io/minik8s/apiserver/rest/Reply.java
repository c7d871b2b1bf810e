package io.minik8s.apiserver.rest;

/** A whole response: its HTTP code and the tree sent as JSON; null for a response streamed already (a watch). */
record Reply(int code, Object tree, String contentType) {
  static final String JSON = "application/json";
  static final Reply STREAMED = new Reply(200, null, JSON);

  static Reply ok(Object tree) {
    return new Reply(200, tree, JSON);
  }

  static Reply created(Object tree) {
    return new Reply(201, tree, JSON);
  }

  static Reply of(KubeStatus status) {
    return new Reply(status.code(), status.toTree(), JSON);
  }
}
