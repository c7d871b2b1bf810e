package io.minik8s.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WrkTest {
  static final String REPORT = """
      Running 10s test @ http://10.96.12.34:80/
        2 threads and 16 connections
        Thread Stats   Avg      Stdev     Max   +/- Stdev
          Latency     4.91ms    6.03ms  80.12ms   91.17%
          Req/Sec     2.01k   312.45     2.80k    71.00%
        Latency Distribution
           50%    3.12ms
           75%    5.50ms
           90%  850.00us
           99%    1.20s
        40012 requests in 10.01s, 12.43MB read
        Socket errors: connect 0, read 3, write 0, timeout 2
        Non-2xx or 3xx responses: 7
      Requests/sec:   3997.20
      Transfer/sec:      1.24MB
      """;

  @Test
  void readsRatePercentilesInMillisecondsAndErrors() {
    Wrk.Result r = Wrk.parse(REPORT);
    assertThat(r.requestsPerSecond()).isEqualTo(3997.20);
    assertThat(r.requests()).isEqualTo(40012);
    assertThat(r.p50()).isEqualTo(3.12);
    assertThat(r.p90()).isCloseTo(0.85, within(1e-9));
    assertThat(r.p99()).isEqualTo(1200.0);
    assertThat(r.socketErrors()).isEqualTo(5);
    assertThat(r.non2xx()).isEqualTo(7);
  }

  @Test
  void aReportWithoutTheLatencyDistributionIsRefused() {
    String withoutDistribution = REPORT.replaceAll("(?m)^\\s*\\d+%.*\\n", "");
    assertThatThrownBy(() -> Wrk.parse(withoutDistribution)).hasMessageContaining("--latency");
  }
}
