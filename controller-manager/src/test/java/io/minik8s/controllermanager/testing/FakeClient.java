package io.minik8s.controllermanager.testing;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import io.minik8s.controllermanager.controller.ControllerClient;
import io.minik8s.controllermanager.controller.Lister;
import io.minik8s.controllermanager.controller.Times;
import io.minik8s.controllermanager.garbagecollector.GarbageCollector;
import io.minik8s.controllermanager.nodelifecycle.NodeLifecycleController;
import io.minik8s.api.Pod;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An in-memory api-server for controller tests: it records every action ("create pods
 * frontend-", "delete pods frontend-x", ...), gives created objects names, uids and times, and
 * serves listers over what it holds (like informers with no lag). With {@link #reflectWrites}
 * off, writes are recorded but the listers do not see them: an informer that has not caught up.
 */
public final class FakeClient implements ControllerClient {
  public final List<String> actions = new ArrayList<>();
  public boolean reflectWrites = true;
  /** Actions for which to fail (the action string is tested before the write). */
  public Predicate<String> failOn = a -> false;
  private final Map<String, Message> store = new TreeMap<>();
  private final AtomicInteger counter = new AtomicInteger();
  private final Clock clock;

  public FakeClient(Clock clock) {
    this.clock = clock;
  }

  private static String key(ResourceType type, String ns, String name) {
    return type.resource() + "|" + (ns.isEmpty() ? "" : ns + "/") + name;
  }

  private static String key(Message m) {
    ObjectMeta meta = KubeObjects.meta(m);
    return key(Resources.of(m), meta.getNamespace(), meta.getName());
  }

  /** Puts objects as they are (seeding the "cluster"), filling uid and resourceVersion if missing. */
  @SafeVarargs
  public final <T extends Message> void seed(T... objects) {
    for (T o : objects) {
      ObjectMeta m = KubeObjects.meta(o);
      ObjectMeta.Builder b = m.toBuilder();
      if (m.getUid().isEmpty()) {
        b.setUid("uid-" + m.getName());
      }
      if (m.getResourceVersion().isEmpty()) {
        b.setResourceVersion(Integer.toString(counter.incrementAndGet()));
      }
      if (m.getCreationTimestamp().isEmpty()) {
        b.setCreationTimestamp(Times.format(clock.instant()));
      }
      store.put(key(o), KubeObjects.withMeta(o, b.build()));
    }
  }

  public void remove(ResourceType type, String ns, String name) {
    store.remove(key(type, ns, name));
  }

  @SuppressWarnings("unchecked")
  public <T extends Message> T stored(ResourceType type, String ns, String name) {
    return (T) store.get(key(type, ns, name));
  }

  public List<String> actions(String prefix) {
    return actions.stream().filter(a -> a.startsWith(prefix)).toList();
  }

  private void act(String action) {
    actions.add(action);
    if (failOn.test(action)) {
      throw Status.INTERNAL.withDescription("injected failure: " + action).asRuntimeException();
    }
  }

  @Override
  public synchronized <T extends Message> T create(T obj) {
    ResourceType type = Resources.of(obj);
    ObjectMeta m = KubeObjects.meta(obj);
    String name = m.getName().isEmpty() ? m.getGenerateName() + "x" + counter.incrementAndGet() : m.getName();
    act("create " + type.resource() + " " + (m.getName().isEmpty() ? m.getGenerateName() : name));
    if (store.containsKey(key(type, m.getNamespace(), name))) {
      throw Status.ALREADY_EXISTS.withDescription(name + " already exists").asRuntimeException();
    }
    // Creation times a second apart so that "newest" is well defined.
    T created = KubeObjects.withMeta(obj, m.toBuilder().setName(name).setUid("uid-" + name)
        .setResourceVersion(Integer.toString(counter.incrementAndGet()))
        .setCreationTimestamp(Times.format(clock.instant().plusSeconds(counter.get()))).setGeneration(1).build());
    if (reflectWrites) {
      store.put(key(created), created);
    }
    return created;
  }

  @Override
  public synchronized <T extends Message> T update(T obj) {
    return write("update", obj);
  }

  @Override
  public synchronized <T extends Message> T updateStatus(T obj) {
    return write("updateStatus", obj);
  }

  private <T extends Message> T write(String verb, T obj) {
    ObjectMeta m = KubeObjects.meta(obj);
    act(verb + " " + Resources.of(obj).resource() + " " + m.getName());
    T written = KubeObjects.withMeta(obj, m.toBuilder().setResourceVersion(Integer.toString(counter.incrementAndGet())).build());
    if (reflectWrites) {
      store.put(key(written), written);
    }
    return written;
  }

  @Override
  public synchronized void delete(ResourceType type, String ns, String name, String policy, String uid) {
    act("delete " + type.resource() + " " + name + (policy.isEmpty() || policy.equals("Background") ? "" : " " + policy));
    if (!store.containsKey(key(type, ns, name)) && reflectWrites) {
      throw Status.NOT_FOUND.withDescription(name + " not found").asRuntimeException();
    }
    if (reflectWrites) {
      store.remove(key(type, ns, name));
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public synchronized <T extends Message> Optional<T> find(ResourceType type, String ns, String name) {
    return Optional.ofNullable((T) store.get(key(type, ns, name)));
  }

  @Override
  public List<Message> list(ResourceType type, String namespace) {
    return this.<Message>lister(type).list(namespace);
  }

  /** A lister over the objects of one type, with the indexes the controllers use. */
  public <T extends Message> Lister<T> lister(ResourceType type) {
    return new Lister<>() {
      @Override
      public Optional<T> get(String namespace, String name) {
        return find(type, namespace, name);
      }

      @Override
      @SuppressWarnings("unchecked")
      public List<T> list(String namespace) {
        synchronized (FakeClient.this) {
          List<T> out = new ArrayList<>();
          for (Message m : store.values()) {
            if (Resources.of(m) == type && (namespace.isEmpty() || KubeObjects.meta(m).getNamespace().equals(namespace))) {
              out.add((T) m);
            }
          }
          return out;
        }
      }

      @Override
      public List<T> byIndex(String index, String value) {
        return list("").stream().filter(m -> switch (index) {
          case GarbageCollector.OWNER_UID_INDEX -> GarbageCollector.ownerUids(m).contains(value);
          case NodeLifecycleController.PODS_BY_NODE -> ((Pod) m).getSpec().getNodeName().equals(value);
          default -> throw new IllegalArgumentException("no index " + index);
        }).toList();
      }
    };
  }

  public static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }
}
