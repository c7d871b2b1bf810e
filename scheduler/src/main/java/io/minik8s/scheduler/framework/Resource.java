package io.minik8s.scheduler.framework;

import io.minik8s.client.api.Quantity;
import java.util.Map;

/** An amount of CPU (millicores) and memory (bytes): a pod's requests, a node's allocatable. */
public record Resource(long milliCpu, long memory) {
  public static final Resource ZERO = new Resource(0, 0);

  /** Reads {@code cpu} and {@code memory} from a requests or allocatable map; absent is zero. */
  public static Resource of(Map<String, String> quantities) {
    String cpu = quantities.get("cpu");
    String memory = quantities.get("memory");
    return new Resource(cpu == null ? 0 : Quantity.milliValue(cpu), memory == null ? 0 : Quantity.value(memory));
  }

  public Resource plus(Resource o) {
    return new Resource(milliCpu + o.milliCpu, memory + o.memory);
  }

  public Resource minus(Resource o) {
    return new Resource(milliCpu - o.milliCpu, memory - o.memory);
  }

  public Resource max(Resource o) {
    return new Resource(Math.max(milliCpu, o.milliCpu), Math.max(memory, o.memory));
  }
}
