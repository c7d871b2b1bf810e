package io.minik8s.apiserver.rest;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.ApiGrpc;
import io.minik8s.api.CreateRequest;
import io.minik8s.api.DeleteRequest;
import io.minik8s.api.DeleteResponse;
import io.minik8s.api.GetRequest;
import io.minik8s.api.ListRequest;
import io.minik8s.api.ListResponse;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Scale;
import io.minik8s.api.ScaleRequest;
import io.minik8s.api.ScaleSpec;
import io.minik8s.api.UpdateRequest;
import io.minik8s.api.UpdateScaleRequest;
import io.minik8s.api.WatchRequest;
import io.minik8s.apiserver.authz.AccessControl;
import io.minik8s.apiserver.authz.Attributes;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import io.netty.handler.codec.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The verbs on a resource path (Kubernetes' staging/src/k8s.io/apiserver/pkg/endpoints/handlers:
 * get.go, create.go, update.go, patch.go, delete.go, watch.go). Each turns the HTTP request into
 * the gRPC API's request and calls that API in-process ({@link GrpcCall}), then turns the answer
 * into Kubernetes' JSON.
 */
final class ResourceHandler {
  static final String MERGE_PATCH = "application/merge-patch+json";
  static final String STRATEGIC_PATCH = "application/strategic-merge-patch+json";
  private static final Set<String> SCALABLE = Set.of("deployments", "replicasets", "statefulsets");
  /** How often a patch is retried when the object changed between its read and its write (patch.go: 5). */
  private static final int PATCH_ATTEMPTS = 5;

  private final ApiGrpc.AsyncService api;
  private final AccessControl access;
  private final Tables tables;

  ResourceHandler(ApiGrpc.AsyncService api, AccessControl access, Tables tables) {
    this.api = api;
    this.access = access;
    this.tables = tables;
  }

  Reply serve(RestRequest r, ApiPath p) {
    if (!p.subresource().isEmpty() && !p.subresource().equals("status")
        && !(p.subresource().equals("scale") && SCALABLE.contains(p.type().resource()))) {
      throw new RestException(KubeStatus.notFound("the server could not find the requested resource ("
          + p.type().resource() + "/" + p.subresource() + ")"));
    }
    HttpMethod m = r.method();
    if (p.collection()) {
      if (m.equals(HttpMethod.GET)) {
        return r.flag("watch") ? watch(r, p) : list(r, p);
      } else if (m.equals(HttpMethod.POST)) {
        return create(r, p);
      }
    } else if (m.equals(HttpMethod.GET)) {
      return get(r, p);
    } else if (m.equals(HttpMethod.PUT)) {
      return update(r, p);
    } else if (m.equals(HttpMethod.PATCH)) {
      return patch(r, p);
    } else if (m.equals(HttpMethod.DELETE)) {
      return delete(r, p);
    }
    throw new RestException(KubeStatus.of(405, "MethodNotAllowed",
        m.name() + " is not supported on " + (p.collection() ? "a collection of " : "") + p.type().resource()));
  }

  private Reply get(RestRequest r, ApiPath p) {
    if (p.subresource().equals("scale")) {
      return Reply.ok(scaleTree(getScale(r, p)));
    }
    Message obj = getObject(r, p);
    return Tables.wanted(r.accept())
        ? new Reply(200, tables.of(p.type(), obj), Tables.CONTENT_TYPE)
        : Reply.ok(Json.tree(obj));
  }

  private Message getObject(RestRequest r, ApiPath p) {
    GetRequest req = GetRequest.newBuilder().setResource(p.type().resource()).setNamespace(p.namespace())
        .setName(p.name()).build();
    return KubeObjects.unwrap(GrpcCall.call(r.user(), api::get, req));
  }

  private Scale getScale(RestRequest r, ApiPath p) {
    ScaleRequest req = ScaleRequest.newBuilder().setResource(p.type().resource()).setNamespace(p.namespace())
        .setName(p.name()).build();
    return GrpcCall.call(r.user(), api::getScale, req);
  }

  private Reply list(RestRequest r, ApiPath p) {
    long limit = 0;
    if (!r.param("limit").isEmpty()) {
      try {
        limit = Long.parseLong(r.param("limit"));
      } catch (NumberFormatException e) {
        throw new RestException(KubeStatus.badRequest("limit: Invalid value: \"" + r.param("limit") + "\": not a number"));
      }
    }
    ListRequest req = ListRequest.newBuilder().setResource(p.type().resource()).setNamespace(p.namespace())
        .setLabelSelector(r.param("labelSelector")).setFieldSelector(r.param("fieldSelector"))
        .setLimit(limit).setContinue(r.param("continue")).build();
    ListResponse list = GrpcCall.call(r.user(), api::list, req);
    return Tables.wanted(r.accept())
        ? new Reply(200, tables.of(p.type(), list), Tables.CONTENT_TYPE)
        : Reply.ok(Json.list(p.type(), list));
  }

  private Reply watch(RestRequest r, ApiPath p) {
    WatchRequest req = WatchRequest.newBuilder().setResource(p.type().resource()).setNamespace(p.namespace())
        .setLabelSelector(r.param("labelSelector")).setFieldSelector(r.param("fieldSelector"))
        .setResourceVersion(r.param("resourceVersion")).setAllowWatchBookmarks(r.flag("allowWatchBookmarks")).build();
    boolean table = Tables.wanted(r.accept());
    WatchStream stream = new WatchStream(r.channel(), p.type(),
        table ? obj -> tables.of(p.type(), obj) : Json::tree);
    RestHandler.watching(r.channel(), stream);
    io.grpc.Context.current().withValue(io.minik8s.apiserver.auth.UserInfo.KEY, r.user())
        .run(() -> api.watch(req, stream));
    Throwable refused = stream.begin(table ? Tables.CONTENT_TYPE : Reply.JSON);
    if (refused != null) {
      throw refused instanceof RuntimeException e ? e : new IllegalStateException(refused);
    }
    long timeout = parseTimeout(r.param("timeoutSeconds"));
    if (timeout > 0) {
      r.channel().eventLoop().schedule(stream::cancel, timeout, TimeUnit.SECONDS);
    }
    return Reply.STREAMED;
  }

  private static long parseTimeout(String text) {
    if (text.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private Reply create(RestRequest r, ApiPath p) {
    Message obj = bodyObject(r, p);
    CreateRequest req = CreateRequest.newBuilder().setObject(KubeObjects.wrap(obj)).setDryRun(dryRun(r)).build();
    return Reply.created(Json.tree(KubeObjects.unwrap(GrpcCall.call(r.user(), api::create, req))));
  }

  private Reply update(RestRequest r, ApiPath p) {
    if (p.subresource().equals("scale")) {
      requireJson(r);
      return Reply.ok(scaleTree(updateScale(r, p, Json.parseTree(r.body()))));
    }
    return Reply.ok(Json.tree(write(r, p, bodyObject(r, p))));
  }

  /** An update through the main resource or its status subresource, as the path says. */
  private Message write(RestRequest r, ApiPath p, Message obj) {
    UpdateRequest req = UpdateRequest.newBuilder().setObject(KubeObjects.wrap(obj)).setDryRun(dryRun(r)).build();
    io.minik8s.api.Object out = p.subresource().equals("status")
        ? GrpcCall.call(r.user(), api::updateStatus, req)
        : GrpcCall.call(r.user(), api::update, req);
    return KubeObjects.unwrap(out);
  }

  private Scale updateScale(RestRequest r, ApiPath p, Map<String, Object> tree) {
    Scale scale = scaleOf(tree, p);
    UpdateScaleRequest req = UpdateScaleRequest.newBuilder().setResource(p.type().resource()).setScale(scale).build();
    return GrpcCall.call(r.user(), api::updateScale, req);
  }

  /**
   * PATCH: read, patch the tree, write back with the resourceVersion read (a compare-and-swap),
   * and on a conflict read again, as Kubernetes' patcher does, unless the patch itself names a
   * resourceVersion. Kubernetes authorizes the verb "patch"; the write is then also the gRPC
   * API's update, which checks "update" (see the README).
   */
  private Reply patch(RestRequest r, ApiPath p) {
    String type = r.contentType();
    if (!type.equals(MERGE_PATCH) && !type.equals(STRATEGIC_PATCH)) {
      throw new RestException(KubeStatus.of(415, "UnsupportedMediaType", "the body of the request was in an unknown "
          + "format - accepted media types include: " + STRATEGIC_PATCH + ", " + MERGE_PATCH));
    }
    access.authorize(Attributes.of(r.user(), "patch", p.type(), p.subresource(), namespaceOf(p), p.name()));
    Map<String, Object> patch = Json.parseTree(r.body());
    boolean pinned = resourceVersionOf(patch) != null;
    for (int attempt = 1; ; attempt++) {
      boolean scale = p.subresource().equals("scale");
      Map<String, Object> current = scale ? scaleTree(getScale(r, p)) : Json.tree(getObject(r, p));
      Map<String, Object> patched = apply(type, current, patch);
      try {
        if (scale) {
          return Reply.ok(scaleTree(updateScale(r, p, patched)));
        }
        Message obj = Json.decode(patched);
        requireSameObject(p, obj);
        return Reply.ok(Json.tree(write(r, p, obj)));
      } catch (StatusRuntimeException e) {
        if (pinned || attempt >= PATCH_ATTEMPTS || e.getStatus().getCode() != Status.Code.ABORTED) {
          throw e;
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> apply(String type, Map<String, Object> current, Map<String, Object> patch) {
    return type.equals(MERGE_PATCH)
        ? (Map<String, Object>) Patches.mergePatch(current, patch)
        : Patches.strategicMerge(current, patch);
  }

  private static Object resourceVersionOf(Map<String, Object> tree) {
    return tree.get("metadata") instanceof Map<?, ?> m ? m.get("resourceVersion") : null;
  }

  private Reply delete(RestRequest r, ApiPath p) {
    DeleteRequest.Builder req = DeleteRequest.newBuilder().setResource(p.type().resource())
        .setNamespace(p.namespace()).setName(p.name());
    Map<String, Object> options = r.body().length == 0 ? Map.of() : Json.parseTree(r.body());
    Object policy = options.getOrDefault("propagationPolicy", r.param("propagationPolicy"));
    if (policy != null && !policy.toString().isEmpty()) {
      req.setPropagationPolicy(policy.toString());
    }
    Object grace = options.getOrDefault("gracePeriodSeconds", r.param("gracePeriodSeconds"));
    if (grace != null && !grace.toString().isEmpty()) {
      try {
        req.setGracePeriodSeconds(Long.parseLong(grace.toString()));
      } catch (NumberFormatException e) {
        throw new RestException(KubeStatus.badRequest("gracePeriodSeconds: Invalid value: \"" + grace + "\""));
      }
    }
    if (options.get("preconditions") instanceof Map<?, ?> pre) {
      if (pre.get("uid") != null) {
        req.setPreconditionUid(pre.get("uid").toString());
      }
      if (pre.get("resourceVersion") != null) {
        req.setPreconditionResourceVersion(pre.get("resourceVersion").toString());
      }
    }
    if (dryRun(r) || (options.get("dryRun") instanceof List<?> l && !l.isEmpty())) {
      throw new RestException(KubeStatus.badRequest("dryRun is not supported on delete yet"));
    }
    DeleteResponse out = GrpcCall.call(r.user(), api::delete, req.build());
    Message obj = KubeObjects.unwrap(out.getObject());
    if (!out.getRemoved()) {
      return Reply.ok(Json.tree(obj)); // still there: finalizers or a grace period hold it
    }
    ObjectMeta meta = KubeObjects.meta(obj);
    Map<String, Object> status = new LinkedHashMap<>(KubeStatus.of(200, "", "").withDetails(p.type().resource(),
        p.type().group(), meta.getName()).toTree());
    status.remove("reason");
    status.remove("message");
    return Reply.ok(status);
  }

  /**
   * The body of a POST or PUT as an object of the path's kind: apiVersion and kind, when given,
   * must be the path's, the name (on PUT) the path's, the namespace the path's; both are filled in
   * from the path when left out.
   */
  private static Message bodyObject(RestRequest r, ApiPath p) {
    requireJson(r);
    Map<String, Object> tree = Json.parseTree(r.body());
    ResourceType type = p.type();
    Object apiVersion = tree.putIfAbsent("apiVersion", type.apiVersion());
    if (apiVersion != null && !apiVersion.equals(type.apiVersion())) {
      throw new RestException(KubeStatus.badRequest("the API version in the data (" + apiVersion
          + ") does not match the expected API version (" + type.apiVersion() + ")"));
    }
    Object kind = tree.putIfAbsent("kind", type.kind());
    if (kind != null && !kind.equals(type.kind())) {
      throw new RestException(KubeStatus.badRequest("the kind in the data (" + kind
          + ") does not match the expected kind (" + type.kind() + ")"));
    }
    Message obj = Json.decode(tree);
    requireSameObject(p, obj);
    ObjectMeta meta = KubeObjects.meta(obj);
    if (type.namespaced() && meta.getNamespace().isEmpty() && !p.namespace().isEmpty()) {
      obj = KubeObjects.withMeta(obj, meta.toBuilder().setNamespace(p.namespace()).build());
    }
    return obj;
  }

  /**
   * Bodies are JSON. kubectl 1.32 sends Kubernetes protobuf for a few typed commands (create
   * namespace, create deployment, drain, auth can-i): refused as Kubernetes refuses a type it
   * cannot decode, 415, not misread.
   */
  private static void requireJson(RestRequest r) {
    String type = r.contentType();
    if (!type.isEmpty() && !type.equals(Reply.JSON)) {
      throw new RestException(KubeStatus.of(415, "UnsupportedMediaType", "the body of the request was in an unknown "
          + "format - accepted media types include: " + Reply.JSON + " (not " + type + ")"));
    }
  }

  private static void requireSameObject(ApiPath p, Message obj) {
    ObjectMeta meta = KubeObjects.meta(obj);
    if (Resources.of(obj) != p.type()) {
      throw new RestException(KubeStatus.badRequest("the kind in the data (" + Resources.of(obj).kind()
          + ") does not match the expected kind (" + p.type().kind() + ")"));
    }
    if (!p.name().isEmpty() && !meta.getName().equals(p.name())) {
      throw new RestException(KubeStatus.badRequest("the name of the object (" + meta.getName()
          + ") does not match the name on the URL (" + p.name() + ")"));
    }
    if (!meta.getNamespace().isEmpty() && !p.namespace().isEmpty() && !meta.getNamespace().equals(p.namespace())) {
      throw new RestException(KubeStatus.badRequest(
          "the namespace of the provided object does not match the namespace sent on the request"));
    }
  }

  private static String namespaceOf(ApiPath p) {
    return p.type().namespaced() && p.namespace().isEmpty() ? "default" : p.namespace();
  }

  private static boolean dryRun(RestRequest r) {
    return r.param("dryRun").equals("All");
  }

  /** autoscaling/v1 Scale. */
  private static Map<String, Object> scaleTree(Scale scale) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("kind", "Scale");
    tree.put("apiVersion", "autoscaling/v1");
    tree.putAll(io.minik8s.client.codec.ManifestCodec.toTree(scale));
    tree.put("kind", "Scale");
    tree.put("apiVersion", "autoscaling/v1");
    return tree;
  }

  private static Scale scaleOf(Map<String, Object> tree, ApiPath p) {
    Map<?, ?> meta = tree.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
    Map<?, ?> spec = tree.get("spec") instanceof Map<?, ?> s ? s : Map.of();
    Object replicas = spec.get("replicas");
    if (replicas != null && !(replicas instanceof Integer)) {
      throw new RestException(KubeStatus.badRequest("strict decoding error: Scale.spec.replicas: expected an int32, got "
          + replicas));
    }
    Object name = meta.get("name") == null ? p.name() : meta.get("name");
    if (!name.equals(p.name())) {
      throw new RestException(KubeStatus.badRequest("the name of the object (" + name
          + ") does not match the name on the URL (" + p.name() + ")"));
    }
    ObjectMeta.Builder m = ObjectMeta.newBuilder().setName(p.name()).setNamespace(p.namespace());
    if (meta.get("resourceVersion") != null) {
      m.setResourceVersion(meta.get("resourceVersion").toString());
    }
    return Scale.newBuilder().setApiVersion("autoscaling/v1").setKind("Scale").setMetadata(m)
        .setSpec(ScaleSpec.newBuilder().setReplicas(replicas == null ? 0 : (Integer) replicas)).build();
  }
}
