package io.minik8s.apiserver.storage;

/**
 * How large a request, an object and a response may be, chosen together rather than each left at
 * a library's default. The object limit is etcd's: etcd refuses a write over its
 * {@code --max-request-bytes} (1.5 MiB by default) with "request is too large", and Kubernetes
 * relies on exactly that limit for the size of one object. Requests to the api-server may carry a
 * little more than one object (Kubernetes' {@code MaxRequestBodyBytes}, 3 MiB, leaves room for the
 * envelope), and everything larger than one object, a list, is read and sent in pages, so no
 * response has to grow with the number of objects stored.
 */
public final class SizeLimits {
  /** etcd's default {@code --max-request-bytes}: the largest write etcd accepts, so the largest object. */
  public static final int MAX_OBJECT_BYTES = 1536 * 1024;

  /** The api-server's gRPC request limit (Kubernetes' MaxRequestBodyBytes, 3 MiB). */
  public static final int MAX_REQUEST_BYTES = 3 * 1024 * 1024;

  /** Keys per read when the api-server lists a whole kind for itself (client-go's pager uses 500). */
  public static final int LIST_PAGE_SIZE = 500;

  /**
   * The largest etcd response the api-server accepts: one page of objects of the largest size,
   * plus room for the response's own framing. Only pages are read, so this bounds every read.
   */
  public static final int MAX_ETCD_RESPONSE_BYTES = LIST_PAGE_SIZE * MAX_OBJECT_BYTES + 1024 * 1024;

  private SizeLimits() {}
}
