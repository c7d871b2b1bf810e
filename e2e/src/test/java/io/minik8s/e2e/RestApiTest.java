package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.Client;
import io.minik8s.api.Deployment;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The REST API's answers on the wire (issue #13): Kubernetes' Status objects with the right HTTP
 * code and reason for bad input, each checked to have changed nothing; watch resume and expiry;
 * and authentication and authorization through the same token file and RBAC as gRPC.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RestApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static HttpClient HTTP;
  static ApiServer server;
  static ApiClient admin;
  static String ns;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    ControlPlane shared = ControlPlane.shared();
    HTTP = HttpClient.newBuilder().sslContext(trusting(TestPki.shared().ca())).build();
    Path tokens = Files.createTempFile("tokens", ".csv");
    Files.writeString(tokens, "admin-token,admin,1,system:masters\nnobody-token,nobody,2\n");
    server = ApiServer.start(ControlPlane.config(shared.etcd).toBuilder().tokenAuthFile(tokens).restPort(0)
        .watchWindow(2).build()); // a small window: an old version is served from etcd's history, which compaction removes
    admin = ApiClient.connect("127.0.0.1:" + server.port(), TestPki.shared().serverOnly(), "admin-token");
    ns = Objects.freshNamespace(admin, "rest");
    base = "https://127.0.0.1:" + server.restPort();
  }

  @AfterAll
  static void stop() {
    Objects.deleteNamespace(admin, ns);
    admin.close();
    server.close();
  }

  /** TLS that checks the api-server's certificate against the test CA and shows no certificate: tokens say who calls. */
  static SSLContext trusting(Path caFile) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caFile)) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  record Answer(int code, JsonNode body) {}

  static Answer call(String method, String path, String contentType, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
  }

  static Answer admin(String method, String path, String contentType, String body) throws Exception {
    return call(method, path, contentType, body, "admin-token");
  }

  static String deployments() {
    return "/apis/apps/v1/namespaces/" + ns + "/deployments";
  }

  static String deployment(String name, int replicas) {
    return """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"},
         "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"%s"}},
                 "template":{"metadata":{"labels":{"app":"%s"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
        """.formatted(name, replicas, name, name);
  }

  static void assertStatus(Answer a, int code, String reason, String messagePart) {
    assertThat(a.code()).as(String.valueOf(a.body())).isEqualTo(code);
    assertThat(a.body().get("kind").asText()).isEqualTo("Status");
    assertThat(a.body().get("code").asInt()).isEqualTo(code);
    assertThat(a.body().get("reason").asText()).isEqualTo(reason);
    assertThat(a.body().get("message").asText()).contains(messagePart);
  }

  @Test
  void createGetListAndTheirErrors() throws Exception {
    Answer created = admin("POST", deployments(), "application/json", deployment("web", 2));
    assertThat(created.code()).as(String.valueOf(created.body())).isEqualTo(201);
    assertThat(created.body().at("/metadata/uid").asText()).isNotEmpty();
    assertThat(created.body().at("/apiVersion").asText()).isEqualTo("apps/v1");

    Answer got = admin("GET", deployments() + "/web", null, null);
    assertThat(got.code()).isEqualTo(200);
    assertThat(got.body().at("/spec/replicas").asInt()).isEqualTo(2);

    Answer list = admin("GET", deployments() + "?labelSelector=none%3Dnone", null, null);
    assertThat(list.body().get("kind").asText()).isEqualTo("DeploymentList");
    assertThat(list.body().get("items")).isEmpty();
    assertThat(list.body().at("/metadata/resourceVersion").asText()).isNotEmpty();

    assertStatus(admin("POST", deployments(), "application/json", deployment("web", 2)), 409, "AlreadyExists",
        "deployments.apps \"web\" already exists");
    assertStatus(admin("GET", deployments() + "/nope", null, null), 404, "NotFound",
        "deployments.apps \"nope\" not found");
  }

  @Test
  void badInputIsRefusedWithItsStatusAndStoresNothing() throws Exception {
    assertStatus(admin("POST", deployments(), "application/json", "{\"apiVersion\": \"apps/v1\", "), 400, "BadRequest",
        "not valid JSON");
    assertStatus(admin("POST", deployments(), "application/json",
        deployment("unknown-field", 1).replace("\"replicas\"", "\"replicaz\"")), 400, "BadRequest", "replicaz");
    assertStatus(admin("POST", deployments(), "application/json",
        deployment("wrong-kind", 1).replace("\"Deployment\"", "\"ReplicaSet\"")), 400, "BadRequest",
        "does not match the expected kind");

    Answer invalid = admin("POST", deployments(), "application/json", deployment("negative", -1));
    assertStatus(invalid, 422, "Invalid", "Deployment.apps \"negative\" is invalid");
    assertThat(invalid.body().at("/details/causes/0/field").asText()).isEqualTo("spec.replicas");
    assertThat(invalid.body().at("/details/causes/0/reason").asText()).isEqualTo("FieldValueInvalid");

    for (String name : new String[] {"unknown-field", "wrong-kind", "negative"}) {
      assertThat(admin.find(Resources.DEPLOYMENTS, ns, name)).as(name).isEmpty();
    }

    String big = deployment("big", 1).replace("\"metadata\":{", "\"metadata\":{\"annotations\":{\"a\":\""
        + "x".repeat(4 * 1024 * 1024) + "\"},");
    assertStatus(admin("POST", deployments(), "application/json", big), 413, "RequestEntityTooLarge", "too large");
    assertThat(admin.find(Resources.DEPLOYMENTS, ns, "big")).isEmpty();
  }

  @Test
  void staleResourceVersionOnPutIsAConflictAndChangesNothing() throws Exception {
    Answer created = admin("POST", deployments(), "application/json", deployment("cas", 1));
    String staleVersion = created.body().at("/metadata/resourceVersion").asText();
    JsonNode current = admin("GET", deployments() + "/cas", null, null).body();
    ((com.fasterxml.jackson.databind.node.ObjectNode) current.get("spec")).put("replicas", 2);
    Answer updated = admin("PUT", deployments() + "/cas", "application/json", current.toString());
    assertThat(updated.code()).as(String.valueOf(updated.body())).isEqualTo(200);

    ((com.fasterxml.jackson.databind.node.ObjectNode) current.get("spec")).put("replicas", 7);
    ((com.fasterxml.jackson.databind.node.ObjectNode) current.get("metadata")).put("resourceVersion", staleVersion);
    assertStatus(admin("PUT", deployments() + "/cas", "application/json", current.toString()), 409, "Conflict",
        "the object has been modified");
    assertThat(((Deployment) admin.get(Resources.DEPLOYMENTS, ns, "cas")).getSpec().getReplicas()).isEqualTo(2);

    assertStatus(admin("PUT", deployments() + "/other-name", "application/json", current.toString()), 400,
        "BadRequest", "does not match the name on the URL");
  }

  @Test
  void patchesMergeAndStrategicMergeAndScale() throws Exception {
    admin("POST", deployments(), "application/json", deployment("patched", 1));
    Answer labelled = admin("PATCH", deployments() + "/patched", "application/merge-patch+json",
        "{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}");
    assertThat(labelled.code()).as(String.valueOf(labelled.body())).isEqualTo(200);
    assertThat(((Deployment) admin.get(Resources.DEPLOYMENTS, ns, "patched")).getMetadata().getLabelsMap())
        .isEqualTo(Map.of("tier", "web"));

    Answer image = admin("PATCH", deployments() + "/patched", "application/strategic-merge-patch+json",
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"side\",\"image\":\"busybox\"},"
            + "{\"name\":\"c\",\"image\":\"nginx:1.25\"}]}}}}");
    assertThat(image.code()).as(String.valueOf(image.body())).isEqualTo(200);
    Deployment d = (Deployment) admin.get(Resources.DEPLOYMENTS, ns, "patched");
    assertThat(d.getSpec().getTemplate().getSpec().getContainersList())
        .extracting(c -> c.getName() + "=" + c.getImage()).containsExactly("c=nginx:1.25", "side=busybox");

    Answer scaled = admin("PATCH", deployments() + "/patched/scale", "application/merge-patch+json",
        "{\"spec\":{\"replicas\":4}}");
    assertThat(scaled.code()).as(String.valueOf(scaled.body())).isEqualTo(200);
    assertThat(scaled.body().get("kind").asText()).isEqualTo("Scale");
    assertThat(scaled.body().at("/spec/replicas").asInt()).isEqualTo(4);
    assertThat(((Deployment) admin.get(Resources.DEPLOYMENTS, ns, "patched")).getSpec().getReplicas()).isEqualTo(4);

    assertStatus(admin("PATCH", deployments() + "/patched", "application/merge-patch+json",
        "{\"spec\":{\"replicas\":-3}}"), 422, "Invalid", "spec.replicas");
    assertStatus(admin("PATCH", deployments() + "/patched", "text/plain", "replicas=3"), 415,
        "UnsupportedMediaType", "application/merge-patch+json");
    assertThat(((Deployment) admin.get(Resources.DEPLOYMENTS, ns, "patched")).getSpec().getReplicas()).isEqualTo(4);
  }

  @Test
  void watchStreamsEventsFromAResourceVersion() throws Exception {
    Answer list = admin("GET", "/api/v1/namespaces/" + ns + "/pods", null, null);
    String from = list.body().at("/metadata/resourceVersion").asText();
    admin.create(Objects.pod(ns, "w1", Map.of()));
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/namespaces/" + ns
        + "/pods?watch=true&resourceVersion=" + from)).header("Authorization", "Bearer admin-token").build();
    HttpResponse<InputStream> r = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      JsonNode first = JSON.readTree(lines.readLine());
      assertThat(first.get("type").asText()).isEqualTo("ADDED");
      assertThat(first.at("/object/metadata/name").asText()).isEqualTo("w1");
      assertThat(first.at("/object/kind").asText()).isEqualTo("Pod");
    }
  }

  @Test
  void watchFromACompactedVersionIsAnExpiredErrorEvent() throws Exception {
    String old = admin("GET", "/api/v1/namespaces/" + ns + "/pods", null, null).body()
        .at("/metadata/resourceVersion").asText();
    for (int i = 0; i < 3; i++) {
      admin.create(Objects.pod(ns, "old-" + i, Map.of()));
    }
    long now = Long.parseLong(admin("GET", "/api/v1/namespaces/" + ns + "/pods", null, null).body()
        .at("/metadata/resourceVersion").asText());
    EtcdCluster etcd = ControlPlane.shared().etcd;
    try (Client jetcd = etcd.jetcd()) {
      jetcd.getKVClient().compact(now).get(30, TimeUnit.SECONDS);
    }
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/namespaces/" + ns
        + "/pods?watch=true&resourceVersion=" + old)).header("Authorization", "Bearer admin-token").build();
    HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode event = JSON.readTree(r.body().lines().findFirst().orElseThrow());
    assertThat(event.get("type").asText()).isEqualTo("ERROR");
    assertThat(event.at("/object/code").asInt()).isEqualTo(410);
    assertThat(event.at("/object/reason").asText()).isEqualTo("Expired");
  }

  @Test
  void authenticationAndAuthorizationAreTheGrpcOnes() throws Exception {
    assertStatus(call("GET", "/api/v1/namespaces/" + ns + "/pods", null, null, null), 401, "Unauthorized",
        "Unauthorized");
    assertStatus(call("GET", "/api/v1/namespaces/" + ns + "/pods", null, null, "wrong-token"), 401, "Unauthorized",
        "Unauthorized");
    assertStatus(call("POST", deployments(), "application/json", deployment("forbidden", 1), "nobody-token"), 403,
        "Forbidden", "User \"nobody\" cannot create resource \"deployments\" in API group \"apps\"");
    assertThat(admin.find(Resources.DEPLOYMENTS, ns, "forbidden")).isEmpty();
    assertStatus(call("GET", "/api/v1/namespaces/" + ns + "/pods?watch=true", null, null, "nobody-token"), 403,
        "Forbidden", "cannot watch resource \"pods\"");
    assertThat(call("GET", "/version", null, null, null).body().get("minor").asText()).isEqualTo("32");
  }
}
