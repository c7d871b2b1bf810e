package io.minik8s.kubeproxy;

import io.minik8s.kubeproxy.proxy.Transport;

/** Every proxy test again on Netty's NIO transport, the one used where epoll is not available. */
class NioTcpProxyTest extends TcpProxyTest {
  @Override
  Transport transport() {
    return new Transport(false);
  }
}
