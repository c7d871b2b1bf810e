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
 * sees no error, only silence.
 */
final class BlackHoleProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean blackHole;

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
        Thread.ofPlatform().daemon().start(() -> pump(client, server));
        Thread.ofPlatform().daemon().start(() -> pump(server, client));
      } catch (IOException e) {
        // closed
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (!blackHole) {
          out.write(buf, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      // one side closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
