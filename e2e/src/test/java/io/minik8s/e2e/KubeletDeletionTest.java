package io.minik8s.e2e;

import static io.minik8s.e2e.KubeletFixture.sh;
import static io.minik8s.e2e.KubeletFixture.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Container;
import io.minik8s.api.HostPathVolumeSource;
import io.minik8s.api.Pod;
import io.minik8s.api.Volume;
import io.minik8s.api.VolumeMount;
import io.minik8s.client.api.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Graceful deletion (SIGTERM, then SIGKILL after the grace period) and an image that cannot be pulled. */
class KubeletDeletionTest {
  static KubeletFixture f;

  @BeforeAll
  static void start() throws Exception {
    // the graceful pod writes to a hostPath, which only a privileged namespace may use
    f = new KubeletFixture("kl-delete").privilegedNamespace().start();
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  @Test
  void deletionWaitsForSigtermHandlingAndKillsAfterTheGracePeriod() throws Exception {
    Path host = f.rootDir.resolve("host-out");
    Files.createDirectories(host);
    Container trapper = Container.newBuilder(sh("main",
            "trap 'echo got-term > /out/term; exit 0' TERM; while true; do sleep 1; done"))
        .addVolumeMounts(VolumeMount.newBuilder().setName("out").setMountPath("/out")).build();
    Pod graceful = KubeletFixture.pod("graceful", "Always", trapper);
    graceful = graceful.toBuilder().setSpec(graceful.getSpec().toBuilder().setTerminationGracePeriodSeconds(30)
        .addVolumes(Volume.newBuilder().setName("out").setHostPath(HostPathVolumeSource.newBuilder()
            .setPath(host.toString()).setType("DirectoryOrCreate")))).build();
    f.create(graceful);
    Pod stubborn = KubeletFixture.pod("stubborn", "Always", sh("main", "trap '' TERM; while true; do sleep 1; done"));
    f.create(stubborn.toBuilder().setSpec(stubborn.getSpec().toBuilder().setTerminationGracePeriodSeconds(4)).build());
    f.await("graceful", Duration.ofSeconds(60), KubeletFixture::running);
    f.await("stubborn", Duration.ofSeconds(60), KubeletFixture::running);

    long t0 = System.nanoTime();
    f.client.delete(Resources.PODS, f.namespace, "graceful");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> f.find("graceful").isEmpty());
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(25));
    assertThat(Files.readString(host.resolve("term"))).contains("got-term");

    t0 = System.nanoTime();
    f.client.delete(Resources.PODS, f.namespace, "stubborn");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> f.find("stubborn").isEmpty());
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> f.containerIds(true).isEmpty());
  }

  @Test
  void anImageThatCannotBePulledWaitsInBackOffAndOtherPodsRun() {
    Container missing = Container.newBuilder().setName("main").setImage("minik8s/does-not-exist:1.0")
        .setImagePullPolicy("IfNotPresent").build();
    f.create(KubeletFixture.pod("unpullable", "Always", missing));
    f.create(KubeletFixture.pod("fine", "Always", sh("main", "exec sleep 3600")));
    f.await("fine", Duration.ofSeconds(60), KubeletFixture::running);
    boolean[] errImagePull = {false};
    boolean[] backOff = {false};
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(300))
        .ignoreExceptions().until(() -> {
          String reason = status(f.get("unpullable"), "main").getState().getWaiting().getReason();
          errImagePull[0] |= reason.equals("ErrImagePull");
          backOff[0] |= reason.equals("ImagePullBackOff");
          return errImagePull[0] && backOff[0];
        });
    assertThat(f.get("unpullable").getStatus().getPhase()).isEqualTo("Pending");
    assertThat(KubeletFixture.running(f.get("fine"))).isTrue();
  }
}
