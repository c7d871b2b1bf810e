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

  ApiService(Registry registry, WatchCaches watchCaches, WatchBuffers watchBuffers, MeterRegistry metrics,
      SupervisedLoops loops, ClientTls kubeletTls) {
    this.registry = registry;
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
    kubelets.forward(req.getNamespace(), req.getName(), io.minik8s.api.KubeletGrpc.getLogsMethod(), req, out);
  }

  @Override
  public void podExec(io.minik8s.api.PodExecRequest req, StreamObserver<io.minik8s.api.ExecOutput> out) {
    kubelets.forward(req.getNamespace(), req.getName(), io.minik8s.api.KubeletGrpc.getExecMethod(), req, out);
  }

  @Override
  public void create(CreateRequest req, StreamObserver<Object> out) {
    Message obj = unwrap(req.getObject());
    call("create", obj, out, () -> {
      Message created = registry.create(obj, req.getDryRun());
      if (!req.getDryRun()) {
        log.info("created {} {}", Resources.of(created).resource(), KubeObjects.key(created));
      }
      return KubeObjects.wrap(created);
    });
  }

  @Override
  public void get(GetRequest req, StreamObserver<Object> out) {
    call("get", req.getResource(), out, () ->
        KubeObjects.wrap(registry.get(type(req.getResource()), req.getNamespace(), req.getName())));
  }

  @Override
  public void list(ListRequest req, StreamObserver<ListResponse> out) {
    call("list", req.getResource(), out, () ->
        registry.list(type(req.getResource()), req.getNamespace(), req.getLabelSelector(), req.getFieldSelector(),
            req.getLimit(), req.getContinue()));
  }

  @Override
  public void update(UpdateRequest req, StreamObserver<Object> out) {
    Message obj = unwrap(req.getObject());
    call("update", obj, out, () -> KubeObjects.wrap(registry.update(obj, req.getDryRun())));
  }

  @Override
  public void updateStatus(UpdateRequest req, StreamObserver<Object> out) {
    Message obj = unwrap(req.getObject());
    call("update-status", obj, out, () -> KubeObjects.wrap(registry.updateStatus(obj)));
  }

  @Override
  public void delete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
    call("delete", req.getResource(), out, () -> {
      DeleteResponse r = deleter.delete(req);
      log.info("{} {} {}", r.getRemoved() ? "deleted" : "marked for deletion", req.getResource(),
          KubeObjects.key(KubeObjects.meta(r.getObject())));
      return r;
    });
  }

  @Override
  public void bind(Binding req, StreamObserver<Empty> out) {
    call("bind", "pods", out, () -> {
      subresources.bind(req);
      log.info("bound pod {}/{} to node {}", req.getMetadata().getNamespace(), req.getMetadata().getName(),
          req.getTarget().getName());
      return Empty.getDefaultInstance();
    });
  }

  @Override
  public void getScale(ScaleRequest req, StreamObserver<Scale> out) {
    call("get-scale", req.getResource(), out, () ->
        subresources.getScale(type(req.getResource()), req.getNamespace(), req.getName()));
  }

  @Override
  public void updateScale(UpdateScaleRequest req, StreamObserver<Scale> out) {
    call("update-scale", req.getResource(), out, () -> {
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
