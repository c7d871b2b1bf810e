package io.minik8s.apiserver.storage;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.minik8s.client.tls.ClientTls;
import javax.net.ssl.SSLException;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.EtcdException;

import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.OptionsUtil;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link Store} on an etcd cluster through jetcd. jetcd spreads requests over every endpoint it
 * is given and moves on when a member is down, so the api-server keeps serving while a quorum
 * of the cluster is up. Conditional writes are etcd transactions on the key's mod revision.
 * Reads are pages (Kubernetes' etcd3 store reads with a limit too), so a response stays within
 * {@link SizeLimits#MAX_ETCD_RESPONSE_BYTES} however many objects there are.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go.
 */
public final class EtcdStore implements Store {
  private final Client client;
  private final KV kv;
  private final Duration timeout;
  private final LeaseManager leases;

  /** In plain text: for an etcd that serves no TLS (the tests' own members). */
  public EtcdStore(List<String> endpoints, Duration timeout) {
    this(endpoints, timeout, ClientTls.plaintext());
  }

  /**
   * Over TLS when {@code tls} names a CA (Kubernetes' --etcd-cafile, --etcd-certfile,
   * --etcd-keyfile): etcd's certificate must be signed by that CA and name the address dialled, and
   * the api-server shows its client certificate, which etcd started with --client-cert-auth checks.
   */
  public EtcdStore(List<String> endpoints, Duration timeout, ClientTls tls) {
    this.client = clientBuilder(endpoints, tls)
        .connectTimeout(Duration.ofSeconds(3))
        .keepaliveTime(Duration.ofSeconds(10))
        .maxInboundMessageSize(SizeLimits.MAX_ETCD_RESPONSE_BYTES)
        .build();
    this.kv = client.getKVClient();
    this.timeout = timeout;
    this.leases = new LeaseManager(
        seconds -> await(client.getLeaseClient().grant(seconds), "lease grant").getID(), Clock.systemUTC());
  }

  /**
   * A jetcd client builder for these members ({@code host:port}, or URLs), over TLS when {@code tls}
   * names a CA: the endpoints become https URLs, etcd's certificate is checked against the CA and
   * the address dialled, and the client certificate, if any, is shown.
   */
  public static ClientBuilder clientBuilder(List<String> endpoints, ClientTls tls) {
    String scheme = tls.isPlaintext() ? "http://" : "https://";
    ClientBuilder builder = Client.builder()
        .endpoints(endpoints.stream().map(e -> e.contains("://") ? e : scheme + e).toArray(String[]::new));
    if (!tls.isPlaintext()) {
      try {
        builder.sslContext(b -> {
          b.trustManager(tls.caFile().toFile());
          tls.certificate().ifPresent(cert -> b.keyManager(cert.toFile(), tls.keyFile().toFile()));
        });
      } catch (SSLException e) {
        throw new IllegalArgumentException("cannot use the etcd TLS files (CA " + tls.caFile() + ", certificate "
            + tls.certFile() + ", key " + tls.keyFile() + "): " + e.getMessage(), e);
      }
    }
    return builder;
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted during etcd " + what, e);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new UnavailableException("etcd " + what + " timed out after " + timeout.toMillis() + "ms", e);
    } catch (ExecutionException e) {
      throw translate(what, e.getCause());
    }
  }

  /**
   * etcd's error as one the api-server can answer with the right code: a request over etcd's size
   * limit, a compacted or future revision, a failure that a retry may fix (no leader, a member
   * down, a timeout), or one it cannot (anything else etcd refused).
   */
  static RuntimeException translate(String what, Throwable cause) {
    if (cause instanceof io.etcd.jetcd.common.exception.CompactedException c) {
      return new Store.CompactedException(c.getCompactedRevision());
    }
    String message = String.valueOf(cause.getMessage());
    // etcd checks a write against --max-request-bytes ("request is too large"), and its gRPC server
    // refuses, before that, a message over the limit plus 512 KiB ("received message larger than max").
    if (message.contains("request is too large") || message.contains("received message larger than max")) {
      return new RequestTooLargeException(message);
    }
    if (message.contains("required revision has been compacted")) {
      return new Store.CompactedException(message);
    }
    if (message.contains("required revision is a future revision")) {
      return new FutureRevisionException(message);
    }
    if (cause instanceof EtcdException ee) {
      switch (ee.getErrorCode()) {
        case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE, NOT_FOUND, ALREADY_EXISTS,
             PERMISSION_DENIED, UNAUTHENTICATED, UNIMPLEMENTED, INTERNAL, DATA_LOSS -> {
          return new StoreFailedException("etcd " + what + " failed: " + message, cause);
        }
        default -> { }
      }
    }
    return new UnavailableException("etcd " + what + " failed: " + message, cause);
  }

  @Override
  public Optional<Store.KeyValue> get(String key) {
    GetResponse r = await(kv.get(bytes(key)), "get");
    return r.getKvs().stream().findFirst().map(EtcdStore::toKeyValue);
  }

  @Override
  public Page listPage(String prefix, String startKey, long revision, int limit) {
    GetOption option = GetOption.builder()
        .withRange(OptionsUtil.prefixEndOf(bytes(prefix)))
        .withRevision(revision)
        .withLimit(limit)
        .build();
    GetResponse r = await(kv.get(bytes(startKey.isEmpty() ? prefix : startKey), option), "list");
    List<Store.KeyValue> items = new ArrayList<>(r.getKvs().size());
    for (io.etcd.jetcd.KeyValue kv : r.getKvs()) {
      items.add(toKeyValue(kv));
    }
    return new Page(items, r.getHeader().getRevision(), r.isMore());
  }

  @Override
  public long create(String key, byte[] value, long ttlSeconds) {
    ByteSequence k = bytes(key);
    TxnResponse r = await(kv.txn()
        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
        .Then(Op.put(k, ByteSequence.from(value), putOption(ttlSeconds)))
        .commit(), "create");
    return r.isSucceeded() ? r.getHeader().getRevision() : -1;
  }

  @Override
  public long update(String key, byte[] value, long expectedModRevision, long ttlSeconds) {
    ByteSequence k = bytes(key);
    TxnResponse r = await(kv.txn()
        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)))
        .Then(Op.put(k, ByteSequence.from(value), putOption(ttlSeconds)))
        .commit(), "update");
    return r.isSucceeded() ? r.getHeader().getRevision() : -1;
  }

  /** A put that attaches the key to a shared lease when it must expire (a put without one detaches it). */
  private PutOption putOption(long ttlSeconds) {
    return ttlSeconds <= 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(leases.leaseFor(ttlSeconds)).build();
  }

  @Override
  public long delete(String key, long expectedModRevision) {
    ByteSequence k = bytes(key);
    TxnResponse r = await(kv.txn()
        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)))
        .Then(Op.delete(k, DeleteOption.DEFAULT))
        .commit(), "delete");
    return r.isSucceeded() ? r.getHeader().getRevision() : -1;
  }

  @Override
  public AutoCloseable watch(String prefix, long fromRevision, WatchListener listener) {
    WatchOption option = WatchOption.builder()
        .isPrefix(true)
        .withRevision(fromRevision)
        .withPrevKV(true)
        .build();
    Watch.Watcher watcher = client.getWatchClient().watch(bytes(prefix), option, Watch.listener(
        response -> {
          List<Change> changes = new ArrayList<>(response.getEvents().size());
          for (WatchEvent e : response.getEvents()) {
            io.etcd.jetcd.KeyValue cur = e.getKeyValue();
            io.etcd.jetcd.KeyValue prev = e.getPrevKV();
            byte[] prevBytes = prev == null || prev.getKey().isEmpty() ? null : prev.getValue().getBytes();
            changes.add(new Change(
                e.getEventType() == WatchEvent.EventType.DELETE ? Change.Type.DELETE : Change.Type.PUT,
                cur.getKey().toString(StandardCharsets.UTF_8),
                e.getEventType() == WatchEvent.EventType.DELETE ? null : cur.getValue().getBytes(),
                prevBytes,
                cur.getModRevision()));
          }
          if (!changes.isEmpty()) {
            listener.onChanges(changes);
          }
        },
        error -> listener.onError(error instanceof io.etcd.jetcd.common.exception.CompactedException c
            ? new Store.CompactedException(c.getCompactedRevision())
            : error)));
    return watcher::close;
  }

  @Override
  public long currentRevision() {
    // A get of a key that never exists still carries the cluster's revision in its header.
    return await(kv.get(bytes("/registry/.revision-probe")), "revision").getHeader().getRevision();
  }

  @Override
  public void close() {
    client.close();
  }

  private static Store.KeyValue toKeyValue(io.etcd.jetcd.KeyValue kv) {
    return new Store.KeyValue(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().getBytes(), kv.getModRevision());
  }
}
