package io.minik8s.client.pager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.ListRequest;
import io.minik8s.api.ListResponse;
import io.minik8s.api.Object;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ListPagerTest {
  private final List<ListRequest> sent = new ArrayList<>();

  /** A server of {@code n} pods that pages by the index in its continue token. */
  private Function<ListRequest, ListResponse> server(int n) {
    return req -> {
      sent.add(req);
      int from = req.getContinue().isEmpty() ? 0 : Integer.parseInt(req.getContinue());
      int to = req.getLimit() == 0 ? n : (int) Math.min(n, from + req.getLimit());
      ListResponse.Builder page = ListResponse.newBuilder().setResourceVersion("42");
      for (int i = from; i < to; i++) {
        page.addItems(Object.newBuilder().setPod(Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("p" + i))));
      }
      return page.setContinue(to < n ? Integer.toString(to) : "").build();
    };
  }

  private static List<String> names(ListResponse r) {
    return r.getItemsList().stream().map(o -> o.getPod().getMetadata().getName()).toList();
  }

  @Test
  void followsContinueTokensToTheEnd() {
    ListResponse all = new ListPager(server(1234), 500).listAll(ListRequest.newBuilder().setResource("pods").build());
    assertThat(all.getItemsCount()).isEqualTo(1234);
    assertThat(names(all).get(1233)).isEqualTo("p1233");
    assertThat(all.getContinue()).isEmpty();
    assertThat(all.getResourceVersion()).isEqualTo("42");
    assertThat(sent).extracting(ListRequest::getContinue).containsExactly("", "500", "1000");
    assertThat(sent).allSatisfy(r -> assertThat(r.getLimit()).isEqualTo(500));
  }

  @Test
  void pageSizeZeroAsksForEverythingAtOnce() {
    assertThat(new ListPager(server(700), 0).listAll(ListRequest.getDefaultInstance()).getItemsCount()).isEqualTo(700);
    assertThat(sent).hasSize(1);
  }

  @Test
  void anExpiredTokenStartsTheListAgain() {
    Function<ListRequest, ListResponse> inner = server(1000);
    int[] calls = {0};
    Function<ListRequest, ListResponse> compactedOnce = req -> {
      if (++calls[0] == 2) {
        sent.add(req);
        throw Status.OUT_OF_RANGE.withDescription("The provided continue parameter is too old").asRuntimeException();
      }
      return inner.apply(req);
    };
    ListResponse all = new ListPager(compactedOnce, 500).listAll(ListRequest.getDefaultInstance());
    assertThat(all.getItemsCount()).isEqualTo(1000);
    assertThat(names(all)).doesNotHaveDuplicates();
    assertThat(sent).extracting(ListRequest::getContinue).containsExactly("", "500", "", "500");
  }

  @Test
  void aPageTooLargeForTheClientIsAskedAgainSmaller() {
    Function<ListRequest, ListResponse> inner = server(300);
    Function<ListRequest, ListResponse> limited = req -> {
      if (req.getLimit() > 100) {
        sent.add(req);
        throw Status.RESOURCE_EXHAUSTED.withDescription("gRPC message exceeds maximum size").asRuntimeException();
      }
      return inner.apply(req);
    };
    ListResponse all = new ListPager(limited, 500).listAll(ListRequest.getDefaultInstance());
    assertThat(all.getItemsCount()).isEqualTo(300);
    assertThat(sent).extracting(ListRequest::getLimit).startsWith(500L, 250L, 125L, 62L);
  }

  @Test
  void otherErrorsAreNotRetried() {
    Function<ListRequest, ListResponse> failing = req -> {
      sent.add(req);
      throw Status.INVALID_ARGUMENT.withDescription("continue key is not valid").asRuntimeException();
    };
    assertThatThrownBy(() -> new ListPager(failing, 500).listAll(ListRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class);
    assertThat(sent).hasSize(1);
  }
}
