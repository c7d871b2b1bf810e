package io.minik8s.e2e;

import static io.minik8s.e2e.KubeletFixture.sh;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.EmptyDirVolumeSource;
import io.minik8s.api.EnvVar;
import io.minik8s.api.EnvVarSource;
import io.minik8s.api.Event;
import io.minik8s.api.HTTPGetAction;
import io.minik8s.api.IntOrString;
import io.minik8s.api.ObjectFieldSelector;
import io.minik8s.api.PersistentVolumeClaimVolumeSource;
import io.minik8s.api.Pod;
import io.minik8s.api.Probe;
import io.minik8s.api.ResourceRequirements;
import io.minik8s.api.TCPSocketAction;
import io.minik8s.api.Volume;
import io.minik8s.api.VolumeMount;
import io.minik8s.client.api.Resources;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Init containers, claims that outlive pods, HTTP and TCP probes, limits, downward-API env, events. */
class KubeletFeaturesTest {
  static KubeletFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new KubeletFixture("kl-feat").start();
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  static VolumeMount mount(String name, String path) {
    return VolumeMount.newBuilder().setName(name).setMountPath(path).build();
  }

  static String id(Pod pod, String container) {
    return KubeletFixture.status(pod, container).getContainerId().replace("docker://", "");
  }

  @Test
  void initContainersRunToCompletionInOrderBeforeTheAppStarts() throws Exception {
    Pod pod = KubeletFixture.pod("init", "Always",
        Container.newBuilder(sh("app", "cat /work/order > /work/seen-by-app; exec sleep 3600")).addVolumeMounts(mount("work", "/work")).build());
    pod = pod.toBuilder().setSpec(pod.getSpec().toBuilder()
        .addInitContainers(Container.newBuilder(sh("first", "sleep 2; echo first >> /work/order")).addVolumeMounts(mount("work", "/work")))
        .addInitContainers(Container.newBuilder(sh("second", "echo second >> /work/order")).addVolumeMounts(mount("work", "/work")))
        .addVolumes(Volume.newBuilder().setName("work").setEmptyDir(EmptyDirVolumeSource.getDefaultInstance()))).build();
    f.create(pod);
    Pod running = f.await("init", Duration.ofSeconds(90), KubeletFixture::running);
    assertThat(running.getStatus().getInitContainerStatusesList()).hasSize(2).allSatisfy(s -> {
      assertThat(s.getState().getTerminated().getExitCode()).isZero();
      assertThat(s.getState().getTerminated().getReason()).isEqualTo("Completed");
    });
    assertThat(running.getStatus().getConditionsList()).anyMatch(c -> c.getType().equals("Initialized") && c.getStatus().equals("True"));
    assertThat(f.exec(id(running, "app"), "cat", "/work/seen-by-app")).isEqualTo("first\nsecond");
  }

  @Test
  void dataInAClaimSurvivesThePodAndIsThereForTheNextPodOfThatClaim() throws Exception {
    Volume claim = Volume.newBuilder().setName("data")
        .setPersistentVolumeClaim(PersistentVolumeClaimVolumeSource.newBuilder().setClaimName("www-web-1")).build();
    Pod writer = KubeletFixture.pod("writer", "Always",
        Container.newBuilder(sh("w", "echo kept > /data/file; exec sleep 3600")).addVolumeMounts(mount("data", "/data")).build());
    f.create(writer.toBuilder().setSpec(writer.getSpec().toBuilder().addVolumes(claim)).build());
    Pod w = f.await("writer", Duration.ofSeconds(90), KubeletFixture::running);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> f.exec(id(w, "w"), "cat", "/data/file").equals("kept"));
    f.client.delete(Resources.PODS, f.namespace, "writer");
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> f.find("writer").isEmpty());

    Pod reader = KubeletFixture.pod("reader", "Always",
        Container.newBuilder(sh("r", "exec sleep 3600")).addVolumeMounts(mount("data", "/data")).build());
    f.create(reader.toBuilder().setSpec(reader.getSpec().toBuilder().addVolumes(claim)).build());
    Pod r = f.await("reader", Duration.ofSeconds(90), KubeletFixture::running);
    assertThat(f.exec(id(r, "r"), "cat", "/data/file")).isEqualTo("kept");
  }

  @Test
  void httpReadinessFollowsThePageAndTcpLivenessKeepsAHealthyContainer() throws Exception {
    Container web = Container.newBuilder(sh("web", "mkdir -p /www; echo ok > /www/ready.html; exec httpd -f -p 8080 -h /www"))
        .addPorts(ContainerPort.newBuilder().setContainerPort(8080))
        .setReadinessProbe(Probe.newBuilder().setHttpGet(HTTPGetAction.newBuilder().setPath("/ready.html")
            .setPort(IntOrString.newBuilder().setIntVal(8080))).setPeriodSeconds(1).setFailureThreshold(1))
        .setLivenessProbe(Probe.newBuilder().setTcpSocket(TCPSocketAction.newBuilder()
            .setPort(IntOrString.newBuilder().setIntVal(8080))).setPeriodSeconds(1).setFailureThreshold(3))
        .build();
    f.create(KubeletFixture.pod("probed", "Always", web));
    Pod ready = f.await("probed", Duration.ofSeconds(90), p -> KubeletFixture.status(p, "web").getReady());
    f.exec(id(ready, "web"), "rm", "/www/ready.html");
    Pod notReady = f.await("probed", Duration.ofSeconds(30), p -> !KubeletFixture.status(p, "web").getReady());
    assertThat(notReady.getStatus().getConditionsList()).anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("False"));
    assertThat(KubeletFixture.status(notReady, "web").getRestartCount()).isZero();
    f.exec(id(ready, "web"), "sh", "-c", "echo ok > /www/ready.html");
    Pod back = f.await("probed", Duration.ofSeconds(30), p -> KubeletFixture.status(p, "web").getReady());
    assertThat(KubeletFixture.status(back, "web").getRestartCount()).isZero();
  }

  @Test
  void limitsReachDockerAndTheDownwardApiFillsEnv() throws Exception {
    Container c = Container.newBuilder(sh("main", "echo \"$MY_NAME $MY_NS $MY_IP $PLAIN\" > /tmp/env; exec sleep 3600"))
        .setResources(ResourceRequirements.newBuilder().putLimits("cpu", "500m").putLimits("memory", "64Mi"))
        .addEnv(EnvVar.newBuilder().setName("MY_NAME").setValueFrom(EnvVarSource.newBuilder()
            .setFieldRef(ObjectFieldSelector.newBuilder().setFieldPath("metadata.name"))))
        .addEnv(EnvVar.newBuilder().setName("MY_NS").setValueFrom(EnvVarSource.newBuilder()
            .setFieldRef(ObjectFieldSelector.newBuilder().setFieldPath("metadata.namespace"))))
        .addEnv(EnvVar.newBuilder().setName("MY_IP").setValueFrom(EnvVarSource.newBuilder()
            .setFieldRef(ObjectFieldSelector.newBuilder().setFieldPath("status.podIP"))))
        .addEnv(EnvVar.newBuilder().setName("PLAIN").setValue("value"))
        .build();
    f.create(KubeletFixture.pod("limited", "Always", c));
    Pod pod = f.await("limited", Duration.ofSeconds(90), KubeletFixture::running);
    String cid = id(pod, "main");
    assertThat(KubeletFixture.docker("inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}", cid).strip())
        .isEqualTo("67108864 500000000");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !f.exec(cid, "cat", "/tmp/env").isEmpty());
    assertThat(f.exec(cid, "cat", "/tmp/env"))
        .isEqualTo("limited " + f.namespace + " " + pod.getStatus().getPodIp() + " value");

    List<Event> events = f.client.list(Resources.EVENTS, f.namespace, "");
    assertThat(events.stream().filter(e -> e.getInvolvedObject().getName().equals("limited")).map(Event::getReason))
        .contains("Created", "Started");
  }
}
