package io.minik8s.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.client.clock.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaseManagerTest {
  private final FakeClock clock = new FakeClock();
  private final List<Long> granted = new ArrayList<>();
  private final LeaseManager leases = new LeaseManager(seconds -> {
    granted.add(seconds);
    return granted.size();
  }, clock);

  @Test
  void keysWrittenCloseTogetherShareOneLeaseGrantedForTheTtlPlusTheReuseWindow() {
    long first = leases.leaseFor(3600);
    clock.advance(Duration.ofSeconds(30));
    assertThat(leases.leaseFor(3600)).isEqualTo(first);
    assertThat(granted).containsExactly(3600L + 60); // 5% of an hour is 180 s, capped at a minute
  }

  @Test
  void aLeaseThatWouldNotLiveTheWholeTtlIsNotHandedOutAgain() {
    long first = leases.leaseFor(3600);
    clock.advance(Duration.ofSeconds(61));
    assertThat(leases.leaseFor(3600)).isNotEqualTo(first);
    assertThat(granted).hasSize(2);
  }

  @Test
  void aShortTtlReusesFivePercentOfIt() {
    leases.leaseFor(100);
    assertThat(granted).containsExactly(105L);
  }

  @Test
  void aLeaseCarriesAtMostAThousandKeys() {
    long first = leases.leaseFor(3600);
    for (int i = 1; i < LeaseManager.MAX_KEYS_PER_LEASE; i++) {
      assertThat(leases.leaseFor(3600)).isEqualTo(first);
    }
    assertThat(leases.leaseFor(3600)).isNotEqualTo(first);
  }
}
