package io.minik8s.client.pager;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.ListRequest;
import io.minik8s.api.ListResponse;
import java.util.function.Function;

/**
 * Reads a whole list a page at a time, following each page's continue token (client-go's
 * k8s.io/client-go/tools/pager/pager.go). Every page is read at the first page's revision, so the result is one
 * consistent list. When the token expires mid-way (etcd compacted that revision: OUT_OF_RANGE, as
 * Kubernetes' 410) the list starts again, as client-go's pager falls back to a fresh list; when a
 * page is larger than the client accepts (RESOURCE_EXHAUSTED from its own message limit) the same
 * page is asked again at half the size.
 */
public final class ListPager {
  /** client-go's default page size. */
  public static final int DEFAULT_PAGE_SIZE = 500;
  private static final int MAX_RESTARTS = 3;

  private final Function<ListRequest, ListResponse> list;
  private final int pageSize;

  /** {@code list} sends one request; {@code pageSize} 0 asks for everything in one response. */
  public ListPager(Function<ListRequest, ListResponse> list, int pageSize) {
    if (pageSize < 0) {
      throw new IllegalArgumentException("page size must not be negative: " + pageSize);
    }
    this.list = list;
    this.pageSize = pageSize;
  }

  /** Every item the request selects, in one response with the list's resourceVersion and no continue token. */
  public ListResponse listAll(ListRequest request) {
    for (int restart = 0; ; restart++) {
      try {
        return pages(request.toBuilder().clearContinue().build());
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.OUT_OF_RANGE || restart >= MAX_RESTARTS) {
          throw e;
        }
      }
    }
  }

  private ListResponse pages(ListRequest first) {
    ListResponse.Builder all = ListResponse.newBuilder();
    String token = "";
    int size = pageSize;
    while (true) {
      ListResponse page;
      try {
        page = list.apply(first.toBuilder().setLimit(size).setContinue(token).build());
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED || size == 1) {
          throw e;
        }
        size = size == 0 ? DEFAULT_PAGE_SIZE : Math.max(1, size / 2);
        continue;
      }
      all.addAllItems(page.getItemsList());
      all.setResourceVersion(page.getResourceVersion());
      token = page.getContinue();
      if (token.isEmpty()) {
        return all.build();
      }
    }
  }
}
