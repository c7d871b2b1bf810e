package io.minik8s.apiserver;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.minik8s.client.tls.ClientTls;
import io.micrometer.core.instrument.Timer;
import io.minik8s.api.ApiGrpc;
import io.minik8s.api.Binding;
import io.minik8s.api.CreateRequest;
import io.minik8s.api.DeleteRequest;
import io.minik8s.api.DeleteResponse;
import io.minik8s.api.Empty;
import io.minik8s.api.GetRequest;
import io.minik8s.api.ListRequest;
import io.minik8s.api.ListResponse;
import io.minik8s.api.Object;
import io.minik8s.api.Scale;
import io.minik8s.api.ScaleRequest;
import io.minik8s.api.UpdateRequest;
import io.minik8s.api.UpdateScaleRequest;
import io.minik8s.api.WatchEvent;
import io.minik8s.api.WatchRequest;
import io.minik8s.api.ResourceAttributes;
import io.minik8s.api.SubjectAccessReview;
import io.minik8s.api.SubjectAccessReviewStatus;
import io.minik8s.apiserver.auth.UserInfo;
import io.minik8s.apiserver.admission.CsrRequester;
import io.minik8s.apiserver.authz.AccessControl;
import io.minik8s.apiserver.authz.Attributes;
import io.minik8s.apiserver.authz.Decision;
import io.minik8s.apiserver.registry.ApiException;
import io.minik8s.apiserver.registry.Deleter;
import io.minik8s.apiserver.registry.Registry;
import io.minik8s.apiserver.registry.Subresources;
import io.minik8s.apiserver.storage.Store;
import io.minik8s.apiserver.watch.TooLargeResourceVersion;
import io.minik8s.apiserver.watch.WatchBuffers;
import io.minik8s.apiserver.watch.WatchCaches;
import io.minik8s.client.component.SupervisedLoops;
import io.minik8s.apiserver.watch.Watcher;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import io.minik8s.client.labels.FieldSelector;
import io.minik8s.client.labels.Selector;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC face of the api-server: decodes each request, hands it to the registry, and turns
 * {@link ApiException}s into gRPC statuses. Every call is counted and timed per verb and resource.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/apiserver/pkg/endpoints/handlers (create.go, get.go, update.go, delete.go, watch.go).
 */
final class ApiService extends ApiGrpc.ApiImplBase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiService.class);

  private final Registry registry;
  private final Deleter deleter;
  private final Subresources subresources;
  private final WatchCaches watchCaches;
  private final MeterRegistry metrics;
  private final KubeletProxy kubelets;
  private final WatchBuffers watchBuffers;
  private final AccessControl access;

  ApiService(Registry registry, WatchCaches watchCaches, WatchBuffers watchBuffers, MeterRegistry metrics,
      SupervisedLoops loops, AccessControl access, ClientTls kubeletTls) {
    this.registry = registry;
    this.access = access;
    this.deleter = new Deleter(registry);
    this.subresources = new Subresources(registry);
    this.watchCaches = watchCaches;
    this.watchBuffers = watchBuffers;
    this.metrics = metrics;
    this.kubelets = new KubeletProxy(registry, metrics, loops, kubeletTls);
  }

  @Override
  public void close() {
    kubelets.close();
  }

  @Override
  public void podLogs(io.minik8s.api.PodLogsRequest req, StreamObserver<io.minik8s.api.LogChunk> out) {
    if (!authorized(out, "get", Resources.PODS, "log", req.getNamespace(), req.getName())) {
      return;
    }
    kubelets.forward(req.getNamespace(), req.getName(), io.minik8s.api.KubeletGrpc.getLogsMethod(), req, out);
  }

  @Override
  public void podExec(io.minik8s.api.PodExecRequest req, StreamObserver<io.minik8s.api.ExecOutput> out) {
    if (!authorized(out, "create", Resources.PODS, "exec", req.getNamespace(), req.getName())) {
      return;
    }
    kubelets.forward(req.getNamespace(), req.getName(), io.minik8s.api.KubeletGrpc.getExecMethod(), req, out);
  }

  @Override
  public void create(CreateRequest req, StreamObserver<Object> out) {
    Message obj = CsrRequester.fill(unwrap(req.getObject()), UserInfo.current().orElse(null));
    call("create", obj, out, () -> {
      authorize("create", Resources.of(obj), "", KubeObjects.meta(obj).getNamespace(), "");
      access.admitWrite(obj, false);
      Message created = registry.create(obj, req.getDryRun());
      if (!req.getDryRun()) {
        log.info("created {} {}", Resources.of(created).resource(), KubeObjects.key(created));
      }
      return KubeObjects.wrap(created);
    });
  }

  @Override
  public void get(GetRequest req, StreamObserver<Object> out) {
    call("get", req.getResource(), out, () -> {
      ResourceType type = type(req.getResource());
      authorize("get", type, "", req.getNamespace(), req.getName());
      return KubeObjects.wrap(registry.get(type, req.getNamespace(), req.getName()));
    });
  }

  @Override
  public void list(ListRequest req, StreamObserver<ListResponse> out) {
    call("list", req.getResource(), out, () -> {
      ResourceType type = type(req.getResource());
      access.authorize(attributes("list", type, "", req.getNamespace(), "").withFieldSelector(req.getFieldSelector()));
      return registry.list(type, req.getNamespace(), req.getLabelSelector(), req.getFieldSelector(),
          req.getLimit(), req.getContinue());
    });
  }

  @Override
  public void update(UpdateRequest req, StreamObserver<Object> out) {
    Message obj = unwrap(req.getObject());
    call("update", obj, out, () -> {
      authorize("update", Resources.of(obj), "", KubeObjects.meta(obj).getNamespace(), KubeObjects.meta(obj).getName());
      access.admitWrite(obj, false);
      return KubeObjects.wrap(registry.update(obj, req.getDryRun()));
    });
  }

  @Override
  public void updateStatus(UpdateRequest req, StreamObserver<Object> out) {
    Message obj = unwrap(req.getObject());
    call("update-status", obj, out, () -> {
      authorize("update", Resources.of(obj), "status", KubeObjects.meta(obj).getNamespace(),
          KubeObjects.meta(obj).getName());
      access.admitWrite(obj, true);
      return KubeObjects.wrap(registry.updateStatus(obj));
    });
  }

  @Override
  public void delete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
    call("delete", req.getResource(), out, () -> {
      ResourceType type = type(req.getResource());
      authorize("delete", type, "", req.getNamespace(), req.getName());
      access.admitDelete(type, namespaceOf(type, req.getNamespace()), req.getName());
      DeleteResponse r = deleter.delete(req);
      log.info("{} {} {}", r.getRemoved() ? "deleted" : "marked for deletion", req.getResource(),
          KubeObjects.key(KubeObjects.meta(r.getObject())));
      return r;
    });
  }

  @Override
  public void bind(Binding req, StreamObserver<Empty> out) {
    call("bind", "pods", out, () -> {
      authorize("create", Resources.PODS, "binding", req.getMetadata().getNamespace(), req.getMetadata().getName());
      subresources.bind(req);
      log.info("bound pod {}/{} to node {}", req.getMetadata().getNamespace(), req.getMetadata().getName(),
          req.getTarget().getName());
      return Empty.getDefaultInstance();
    });
  }

  @Override
  public void getScale(ScaleRequest req, StreamObserver<Scale> out) {
    call("get-scale", req.getResource(), out, () -> {
      ResourceType type = type(req.getResource());
      authorize("get", type, "scale", req.getNamespace(), req.getName());
      return subresources.getScale(type, req.getNamespace(), req.getName());
    });
  }

  @Override
  public void updateScale(UpdateScaleRequest req, StreamObserver<Scale> out) {
    call("update-scale", req.getResource(), out, () -> {
      authorize("update", type(req.getResource()), "scale", req.getScale().getMetadata().getNamespace(),
          req.getScale().getMetadata().getName());
      Scale s = subresources.updateScale(type(req.getResource()), req.getScale());
      log.info("scaled {} {}/{} to {}", req.getResource(), s.getMetadata().getNamespace(), s.getMetadata().getName(),
          s.getSpec().getReplicas());
      return s;
    });
  }

  @Override
  public void watch(WatchRequest req, StreamObserver<WatchEvent> out) {
    ResourceType type;
    Selector labels;
    FieldSelector fields;
    long from;
    try {
      type = type(req.getResource());
      labels = parse(() -> Selector.parse(req.getLabelSelector()));
      fields = parse(() -> FieldSelector.parse(req.getFieldSelector(), type.kind()));
      from = parseRevision(req.getResourceVersion());
      access.authorize(attributes("watch", type, "", req.getNamespace(), "").withFieldSelector(req.getFieldSelector()));
    } catch (ApiException e) {
      out.onError(e.toStatus());
      return;
    } catch (Throwable e) {
      log.error("watch {} failed", req.getResource(), e);
      out.onError(internal(e));
      return;
    }
    Watcher watcher = new Watcher(type.resource(), type.namespaced() ? req.getNamespace() : "", labels, fields,
        req.getAllowWatchBookmarks(), out, watchBuffers);
    if (out instanceof ServerCallStreamObserver<WatchEvent> server) {
      server.setOnCancelHandler(() -> watcher.stop(null));
    }
    try {
      watchCaches.watch(type, req.getNamespace(), from, watcher);
      metrics.counter("apiserver_watch_started_total", "resource", type.resource()).increment();
    } catch (RuntimeException e) {
      // the watcher's sender is running: ending the watch through it frees it too
      watcher.stopWith(switch (e) {
        case ApiException a -> a.toStatus();
        case TooLargeResourceVersion t -> t.toStatus();
        case Store.UnavailableException u -> Status.UNAVAILABLE.withDescription(u.getMessage()).asRuntimeException();
        default -> {
          log.error("watch {} failed", type.resource(), e);
          yield internal(e);
        }
      });
    } catch (Throwable e) {
      // an Error (a StackOverflowError from hostile input): answered INTERNAL, never dropped
      log.error("watch {} failed", type.resource(), e);
      watcher.stopWith(internal(e));
    }
  }

  /**
   * authorization.k8s.io: whether a user may do something. Asked about oneself (no spec.user) it
   * is a SelfSubjectAccessReview, which every authenticated user may create (system:basic-user);
   * about another user, a SubjectAccessReview, which needs "create subjectaccessreviews".
   */
  @Override
  public void createAccessReview(SubjectAccessReview req, StreamObserver<SubjectAccessReview> out) {
    boolean self = req.getSpec().getUser().isEmpty();
    String resource = self ? "selfsubjectaccessreviews" : "subjectaccessreviews";
    call("create", resource, out, () -> {
      UserInfo caller = UserInfo.current().orElse(null);
      access.authorize(new Attributes(caller, "create", "authorization.k8s.io", resource, "", "", "", ""));
      UserInfo subject = self ? caller : new UserInfo(req.getSpec().getUser(), req.getSpec().getGroupsList());
      ResourceAttributes ra = req.getSpec().getResourceAttributes();
      Decision d = access.authorizer().authorize(new Attributes(subject, ra.getVerb(), ra.getGroup(), ra.getResource(),
          ra.getSubresource(), ra.getNamespace(), ra.getName(), ""));
      return req.toBuilder().setApiVersion("authorization.k8s.io/v1")
          .setKind(self ? "SelfSubjectAccessReview" : "SubjectAccessReview")
          .setStatus(SubjectAccessReviewStatus.newBuilder().setAllowed(d.allowed())
              .setDenied(d.kind() == Decision.Kind.DENY).setReason(d.reason()))
          .build();
    });
  }

  /** The request's attributes: an object's namespace defaults to "default", as the registry's does; a list's does not. */
  private static Attributes attributes(String verb, ResourceType type, String subresource, String namespace, String name) {
    boolean collection = verb.equals("list") || verb.equals("watch");
    return Attributes.of(UserInfo.current().orElse(null), verb, type, subresource,
        collection ? namespace : namespaceOf(type, namespace), name);
  }

  private static String namespaceOf(ResourceType type, String namespace) {
    return type.namespaced() && namespace.isEmpty() ? "default" : namespace;
  }

  private void authorize(String verb, ResourceType type, String subresource, String namespace, String name) {
    access.authorize(attributes(verb, type, subresource, namespace, name));
  }

  /** For the streaming calls that do not go through {@link #call}: false, and the call ended, when refused. */
  private boolean authorized(StreamObserver<?> out, String verb, ResourceType type, String subresource,
                             String namespace, String name) {
    try {
      authorize(verb, type, subresource, namespace, name);
      return true;
    } catch (ApiException e) {
      out.onError(e.toStatus());
      return false;
    }
  }

  private static io.grpc.StatusRuntimeException internal(Throwable e) {
    return Status.INTERNAL.withDescription(e.toString()).asRuntimeException();
  }

  private static long parseRevision(String rv) {
    if (rv.isEmpty()) {
      return 0;
    }
    try {
      long v = Long.parseLong(rv);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid resource version: \"" + rv + "\"");
    }
  }

  private static <T> T parse(Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private static ResourceType type(String resource) {
    return Resources.byResource(resource).orElseThrow(() ->
        ApiException.badRequest("the server doesn't have a resource type \"" + resource + "\""));
  }

  private static Message unwrap(Object envelope) {
    if (envelope.getKindCase() == Object.KindCase.KIND_NOT_SET) {
      return null;
    }
    return KubeObjects.unwrap(envelope);
  }

  private <T> void call(String verb, Message obj, StreamObserver<T> out, Supplier<T> body) {
    if (obj == null) {
      out.onError(Status.INVALID_ARGUMENT.withDescription("Object 'Kind' is missing: the request carries no object")
          .asRuntimeException());
      return;
    }
    call(verb, Resources.of(obj).resource(), out, body);
  }

  private <T> void call(String verb, String resource, StreamObserver<T> out, Supplier<T> body) {
    Timer.Sample sample = Timer.start(metrics);
    String code = "OK";
    try {
      T result = body.get();
      out.onNext(result);
      out.onCompleted();
    } catch (ApiException e) {
      code = e.code().name();
      out.onError(e.toStatus());
    } catch (Store.UnavailableException e) {
      code = "UNAVAILABLE";
      log.warn("{} {}: {}", verb, resource, e.getMessage());
      out.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
    } catch (Store.RequestTooLargeException e) {
      // Kubernetes' 413 RequestEntityTooLarge; RESOURCE_EXHAUSTED is also what gRPC itself answers
      // to a message over the server's limit, and no client retries it.
      code = "RESOURCE_EXHAUSTED";
      out.onError(Status.RESOURCE_EXHAUSTED.withDescription("Request entity too large: the object is over etcd's "
          + "request size limit (" + e.getMessage() + ")").asRuntimeException());
    } catch (Throwable e) {
      // Anything else, an Error included (a StackOverflowError from hostile input): the caller
      // gets INTERNAL and the api-server a log line, never a call that dies without an answer.
      code = "INTERNAL";
      log.error("{} {} failed", verb, resource, e);
      out.onError(internal(e));
    } finally {
      sample.stop(metrics.timer("apiserver_request_duration_seconds", "verb", verb, "resource", resource, "code", code));
    }
  }
}
