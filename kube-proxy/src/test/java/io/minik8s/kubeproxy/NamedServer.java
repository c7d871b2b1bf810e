package io.minik8s.kubeproxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A loopback TCP server that answers each connection with its name. By default it greets, then
 * echoes; the other conversations exercise half-closed connections.
 */
final class NamedServer implements AutoCloseable {
  /** What the server does on one accepted connection. */
  enum Conversation {
    /** Writes its name, then echoes until the client closes. */
    GREET_THEN_ECHO,
    /** Reads until the client shuts its sending side, then answers its name and what it read (an HTTP/1.0 server). */
    ANSWER_AT_EOF,
    /** Writes its name and shuts its sending side, then reads until the client's EOF and records what it got. */
    GREET_THEN_HALF_CLOSE
  }

  final String name;
  final ServerSocket socket;
  final List<Socket> open = new CopyOnWriteArrayList<>();
  /** What clients sent, one entry per finished connection (GREET_THEN_HALF_CLOSE only). */
  final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  private final Conversation conversation;

  NamedServer(String name) throws IOException {
    this(name, Conversation.GREET_THEN_ECHO);
  }

  NamedServer(String name, Conversation conversation) throws IOException {
    this.name = name;
    this.conversation = conversation;
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::serve);
  }

  int port() {
    return socket.getLocalPort();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        open.add(s);
        Thread.ofVirtual().start(() -> handle(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket s) {
    byte[] greeting = (name + "\n").getBytes(StandardCharsets.UTF_8);
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      switch (conversation) {
        case GREET_THEN_ECHO -> {
          out.write(greeting);
          out.flush();
          in.transferTo(out);
        }
        case ANSWER_AT_EOF -> {
          byte[] request = in.readAllBytes();
          out.write(greeting);
          out.write(request);
          out.flush();
        }
        case GREET_THEN_HALF_CLOSE -> {
          out.write(greeting);
          out.flush();
          s.shutdownOutput();
          received.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      // client went away
    } finally {
      open.remove(s);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
