package io.minik8s.kubelet.pleg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.client.component.SupervisedLoops;
import io.minik8s.kubelet.container.ContainerRuntime;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class GenericPLEGTest {
  @Test
  void aRelistThatThrowsAnErrorDoesNotStopThePleg() {
    AtomicInteger relists = new AtomicInteger();
    // A runtime whose first listing throws an Error and whose later ones find nothing.
    ContainerRuntime runtime = (ContainerRuntime) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ContainerRuntime.class}, (proxy, method, args) -> {
          if (!method.getName().equals("listContainers")) {
            throw new UnsupportedOperationException(method.getName());
          }
          if (relists.incrementAndGet() == 1) {
            throw new NoClassDefFoundError("injected");
          }
          return List.of();
        });
    SupervisedLoops loops = new SupervisedLoops(new SimpleMeterRegistry(), Clock.systemUTC());
    try (GenericPLEG pleg = new GenericPLEG(runtime, "n1", Duration.ofMillis(20), uid -> {}, Clock.systemUTC(), loops)) {
      pleg.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> relists.get() >= 3);
      assertThat(loops.errorCount(GenericPLEG.LOOP)).isEqualTo(1);
      assertThat(pleg.healthy()).isTrue();
    }
  }
}
