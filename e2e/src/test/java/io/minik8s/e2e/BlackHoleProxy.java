package io.minik8s.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback in front of a server that can be switched to a black hole: once
 * {@link #blackHole()} is called it keeps every connection open and accepts new ones but passes
 * no byte in either direction, as a stalled server (or a partitioned network) does. The client
 * sees no error, only silence. {@link #holdRequests()} is the milder fault: what the client sends
 * waits (in order, nothing lost) until {@link #releaseRequests()}, while the server's answers and
 * watch events still reach it, as with a slow link to the server. A client's calls are then in
 * flight for as long as the test wants.
 */
final class BlackHoleProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean blackHole;
  private final Object held = new Object();
  private boolean holding;

  BlackHoleProxy(int targetPort) throws IOException {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("black-hole-accept").start(this::accept);
  }

  String address() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  /** From now on nothing gets through, and nothing is closed. */
  void blackHole() {
    blackHole = true;
  }

  /** From now on the client's bytes wait in the relay; the server's still go through. */
  void holdRequests() {
    synchronized (held) {
      holding = true;
    }
  }

  /** Sends on what the client sent while held, in order. */
  void releaseRequests() {
    synchronized (held) {
      holding = false;
      held.notifyAll();
    }
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        sockets.add(client);
        if (blackHole) {
          continue; // accepted, never answered
        }
        Socket server = new Socket(target.getAddress(), target.getPort());
        sockets.add(server);
        Thread.ofPlatform().daemon().start(() -> pump(client, server, true));
        Thread.ofPlatform().daemon().start(() -> pump(server, client, false));
      } catch (IOException e) {
        // closed
      }
    }
  }

  private void pump(Socket from, Socket to, boolean fromClient) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (fromClient) {
          awaitRelease();
        }
        if (!blackHole) {
          out.write(buf, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      // one side closed
    }
  }

  private void awaitRelease() {
    synchronized (held) {
      while (holding) {
        try {
          held.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    releaseRequests();
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
