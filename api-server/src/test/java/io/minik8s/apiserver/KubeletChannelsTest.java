package io.minik8s.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.minik8s.client.clock.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The api-server's channels to kubelets stay one per live node and go away when idle. */
@Timeout(30)
class KubeletChannelsTest {
  private final FakeClock clock = new FakeClock();
  private final List<ManagedChannel> opened = new ArrayList<>();
  // Channels connect lazily: nothing is dialled unless a call is made.
  private final KubeletChannels channels = new KubeletChannels(target -> {
    ManagedChannel c = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    opened.add(c);
    return c;
  }, Duration.ofMinutes(5), clock);

  @AfterEach
  void close() {
    channels.close();
  }

  @Test
  void aNodeWhoseKubeletMovedGetsANewChannelAndTheOldOneIsShutDown() {
    ManagedChannel first = channels.acquire("node-1", "10.0.0.1:10250");
    channels.release("node-1", first);
    assertThat(channels.acquire("node-1", "10.0.0.1:10250")).isSameAs(first);
    channels.release("node-1", first);

    ManagedChannel moved = channels.acquire("node-1", "10.0.0.9:10250");
    assertThat(moved).isNotSameAs(first);
    assertThat(first.isShutdown()).isTrue();
    assertThat(channels.size()).isEqualTo(1);
  }

  @Test
  void theChannelsOfNodesThatAreGoneAreClosedOnTheNextSweep() {
    for (int i = 0; i < 10; i++) {
      channels.release("node-" + i, channels.acquire("node-" + i, "10.0.0." + i + ":10250"));
    }
    assertThat(channels.size()).isEqualTo(10);
    Set<String> live = Set.of("node-3", "node-7");
    channels.sweep(live::contains);
    assertThat(channels.size()).isEqualTo(2);
    assertThat(opened.stream().filter(ManagedChannel::isShutdown)).hasSize(8);
  }

  @Test
  void anIdleChannelIsClosedButNotOneCarryingACall() {
    ManagedChannel idle = channels.acquire("idle", "10.0.0.1:10250");
    channels.release("idle", idle);
    ManagedChannel busy = channels.acquire("busy", "10.0.0.2:10250"); // a logs -f that runs for hours

    clock.advance(Duration.ofMinutes(4));
    channels.sweep(node -> true);
    assertThat(channels.size()).isEqualTo(2);

    clock.advance(Duration.ofMinutes(2));
    channels.sweep(node -> true);
    assertThat(channels.size()).isEqualTo(1);
    assertThat(idle.isShutdown()).isTrue();
    assertThat(busy.isShutdown()).isFalse();

    channels.release("busy", busy);
    clock.advance(Duration.ofMinutes(5));
    channels.sweep(node -> true);
    assertThat(channels.size()).isZero();
    assertThat(busy.isShutdown()).isTrue();
  }
}
