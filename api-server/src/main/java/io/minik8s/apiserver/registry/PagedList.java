package io.minik8s.apiserver.registry;

import com.google.protobuf.Message;
import io.minik8s.api.ListResponse;
import io.minik8s.apiserver.storage.ContinueToken;
import io.minik8s.apiserver.storage.SizeLimits;
import io.minik8s.apiserver.storage.Store;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import java.util.List;
import java.util.function.Predicate;

/**
 * One list request read from etcd in pages (Kubernetes' k8s.io/apiserver/pkg/storage/etcd3/store.go GetList). Without
 * a limit every matching object is returned, still read from etcd a page at a time. With a limit,
 * pages are read until that many objects match the selectors; if keys are left, the response
 * carries a continue token with the key after the last object returned and the revision of the
 * first page, and the next request resumes there, at that revision, so a write between two pages
 * shows in none of them. A token from before a compaction fails as Kubernetes' 410 Expired.
 */
final class PagedList {
  static final String EXPIRED = "The provided continue parameter is too old to display a consistent list result. "
      + "You can start a new list without the continue parameter.";

  private PagedList() {}

  static ListResponse read(Store store, ResourceType type, String prefix, Predicate<Message> matches,
                           long limit, String continueToken) {
    if (limit < 0) {
      throw ApiException.badRequest("limit: Invalid value: " + limit + ": must be greater than or equal to 0");
    }
    String start = "";
    long revision = 0;
    if (!continueToken.isEmpty()) {
      try {
        ContinueToken token = ContinueToken.decode(prefix, continueToken);
        start = token.startKey();
        revision = token.revision();
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(e.getMessage());
      }
    }
    int pageSize = limit > 0 ? (int) Math.min(limit, SizeLimits.LIST_PAGE_SIZE) : SizeLimits.LIST_PAGE_SIZE;
    ListResponse.Builder out = ListResponse.newBuilder();
    while (true) {
      Store.Page page = readPage(store, prefix, start, revision, pageSize, !continueToken.isEmpty());
      revision = revision == 0 ? page.revision() : revision;
      List<Store.KeyValue> items = page.items();
      for (int i = 0; i < items.size(); i++) {
        Message obj = ObjectCodec.decode(type, items.get(i));
        start = items.get(i).key() + "\0";
        if (matches.test(obj)) {
          out.addItems(KubeObjects.wrap(obj));
        }
        if (limit > 0 && out.getItemsCount() == limit) {
          if (i < items.size() - 1 || page.more()) {
            out.setContinue(ContinueToken.encode(prefix, start, revision));
          }
          return out.setResourceVersion(Long.toString(revision)).build();
        }
      }
      if (!page.more() || items.isEmpty()) {
        return out.setResourceVersion(Long.toString(revision)).build();
      }
    }
  }

  private static Store.Page readPage(Store store, String prefix, String start, long revision, int size,
                                     boolean fromToken) {
    try {
      return store.listPage(prefix, start, revision, size);
    } catch (Store.CompactedException e) {
      throw ApiException.expired(fromToken ? EXPIRED
          : "too old resource version: etcd compacted the list's revision while it was read; list again");
    } catch (Store.FutureRevisionException e) {
      throw ApiException.badRequest("continue key is not valid: its resource version is newer than the server's");
    }
  }
}
