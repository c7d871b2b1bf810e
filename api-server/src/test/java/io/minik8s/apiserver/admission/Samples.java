package io.minik8s.apiserver.admission;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.minik8s.api.Deployment;
import io.minik8s.api.IntOrString;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.Service;
import io.minik8s.api.StatefulSet;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The sample manifests of {@code examples/} as protos, in the state the storage layer hands them
 * to admission: namespace filled in, nothing defaulted. The YAML is mapped onto the protos by
 * their JSON field names, which are Kubernetes' own; an unknown field fails the test run.
 */
final class Samples {
  /** Tests run in the module directory; the samples live at the repository root. */
  private static final Path DIR = Path.of("..", "examples");

  private Samples() {}

  static Deployment nginxDeployment() {
    return load("nginx-deployment.yaml", Deployment.class);
  }

  static ReplicaSet frontendReplicaSet() {
    return load("frontend-replicaset.yaml", ReplicaSet.class);
  }

  static Service frontendService() {
    return load("frontend-service.yaml", Service.class);
  }

  static Service webService() {
    return load("web-statefulset.yaml", Service.class);
  }

  static StatefulSet webStatefulSet() {
    return load("web-statefulset.yaml", StatefulSet.class);
  }

  /** A pod as the nginx Deployment's ReplicaSet would create it. */
  static Pod nginxPod() {
    var template = nginxDeployment().getSpec().getTemplate();
    return Pod.newBuilder()
        .setMetadata(template.getMetadata().toBuilder().setName("nginx-deployment-6d4cf56db6-x2x7k").setNamespace("default"))
        .setSpec(template.getSpec())
        .build();
  }

  static List<Message> all() {
    return List.of(nginxDeployment(), frontendReplicaSet(), frontendService(), webService(), webStatefulSet(), nginxPod());
  }

  static <T extends Message> T load(String file, Class<T> kind) {
    try (Reader in = Files.newBufferedReader(DIR.resolve(file))) {
      for (Object doc : new Yaml().loadAll(in)) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) doc;
        ResourceType type = Resources.byKind((String) map.get("kind")).orElseThrow();
        Message.Builder b = type.newBuilder();
        fill(b, map);
        Message msg = b.build();
        if (kind.isInstance(msg)) {
          return kind.cast(inNamespace(msg, type));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalArgumentException("no " + kind.getSimpleName() + " in " + file);
  }

  private static Message inNamespace(Message msg, ResourceType type) {
    ObjectMeta meta = KubeObjects.meta(msg);
    if (!type.namespaced() || !meta.getNamespace().isEmpty()) {
      return msg;
    }
    return KubeObjects.withMeta(msg, meta.toBuilder().setNamespace("default").build());
  }

  @SuppressWarnings("unchecked")
  private static void fill(Message.Builder b, Map<String, Object> map) {
    Descriptor d = b.getDescriptorForType();
    for (Map.Entry<String, Object> e : map.entrySet()) {
      FieldDescriptor f = d.getFields().stream()
          .filter(x -> x.getJsonName().equals(e.getKey()))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown field " + e.getKey() + " in " + d.getName()));
      Object v = e.getValue();
      if (v == null) {
        continue;
      }
      if (f.isMapField()) {
        for (Map.Entry<Object, Object> kv : ((Map<Object, Object>) v).entrySet()) {
          Message.Builder entry = b.newBuilderForField(f);
          Descriptor ed = entry.getDescriptorForType();
          entry.setField(ed.findFieldByName("key"), String.valueOf(kv.getKey()));
          entry.setField(ed.findFieldByName("value"), String.valueOf(kv.getValue()));
          b.addRepeatedField(f, entry.build());
        }
      } else if (f.isRepeated()) {
        for (Object item : (List<Object>) v) {
          b.addRepeatedField(f, value(b, f, item));
        }
      } else {
        b.setField(f, value(b, f, v));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Object value(Message.Builder parent, FieldDescriptor f, Object v) {
    return switch (f.getJavaType()) {
      case MESSAGE -> {
        if (f.getMessageType() == IntOrString.getDescriptor()) {
          yield v instanceof Number n
              ? IntOrString.newBuilder().setIntVal(n.intValue()).build()
              : IntOrString.newBuilder().setStrVal(String.valueOf(v)).build();
        }
        Message.Builder child = parent.newBuilderForField(f);
        fill(child, (Map<String, Object>) v);
        yield child.build();
      }
      case STRING -> String.valueOf(v);
      case INT -> ((Number) v).intValue();
      case LONG -> ((Number) v).longValue();
      case BOOLEAN -> (Boolean) v;
      default -> throw new IllegalArgumentException("unsupported field type " + f.getJavaType() + " of " + f.getName());
    };
  }
}
