#!/usr/bin/env bash
# Builds, without any registry, the base images MiniK8s' own images stand on:
#   minik8s/jre:21    a Java runtime made with jlink from the local JDK, plus the host's C
#                     libraries it links against, busybox (sh, nc, ...) from Debian's busybox-static,
#                     and the host's iptables and iproute2 `ip` (the kubelet's pod-network agent
#                     sets routes and rules; BusyBox's ip neither shows nor filters a route's
#                     protocol, by which the agent knows its own routes)
#   minik8s/etcd:3.4  the local etcd and etcdctl binaries with the libraries they need
# On a machine with internet access the Dockerfiles in deploy/ can start from public images
# instead (eclipse-temurin:21-jre, quay.io/coreos/etcd); these are the offline equivalents.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
force="${1:-}"

have() { [[ "$force" != "--force" ]] && docker image inspect "$1" >/dev/null 2>&1; }
need() { command -v "$1" >/dev/null || { echo "build-base-images: $1 is required ($2)" >&2; exit 1; }; }
need docker "apt-get install docker.io"
need busybox "apt-get install busybox-static"

# Copies a binary's shared libraries (and the dynamic loader) into a root file system.
copy_libs() { # rootfs, files...
  local rootfs="$1"; shift
  local lib
  for lib in $(ldd "$@" 2>/dev/null | awk '/=>/ && $3 ~ /^\// {print $3} /^[ \t]*\/lib.*ld-linux/ {print $1}' | sort -u); do
    cp -L --parents "$lib" "$rootfs/"
  done
}

base_fs() { # rootfs: the minimal Unix around a program
  local rootfs="$1"
  mkdir -p "$rootfs"/{bin,etc,tmp,lib64,var/run}
  chmod 1777 "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in sh ls cat ip sleep nc ps kill mkdir rm env wget; do ln -sf busybox "$rootfs/bin/$applet"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
  printf 'hosts: files dns\n' > "$rootfs/etc/nsswitch.conf"
}

# Debian's iptables (the nft variant, as dockerd uses) with its libraries and extensions.
add_iptables() { # rootfs
  local rootfs="$1" bin xt
  bin=$(readlink -f "$(command -v iptables)")
  xt=$(dirname "$(readlink -f "$(ldd "$bin" | awk '/libxtables/ {print $3}')")")/xtables
  cp "$bin" "$rootfs/bin/"
  ln -sf "$(basename "$bin")" "$rootfs/bin/iptables"
  cp -rL --parents "$xt" "$rootfs/"
  copy_libs "$rootfs" "$bin" "$xt"/*.so
}

# iproute2's ip, with its libraries, in place of BusyBox's applet.
add_iproute2() { # rootfs
  local rootfs="$1" bin
  bin=$(readlink -f "$(command -v ip)")
  rm -f "$rootfs/bin/ip"
  cp "$bin" "$rootfs/bin/ip"
  copy_libs "$rootfs" "$bin"
}

# An older minik8s/jre:21 without iptables or iproute2 is built again.
if have minik8s/jre:21 && docker run --rm --entrypoint /bin/iptables minik8s/jre:21 --version >/dev/null 2>&1 \
    && docker run --rm --entrypoint /bin/ip minik8s/jre:21 -V 2>&1 | grep -q iproute2; then
  echo "minik8s/jre:21 already built"
else
  echo "building minik8s/jre:21 (jlink from $JAVA_HOME)..."
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  rootfs="$work/rootfs"
  base_fs "$rootfs"
  modules="java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.management,jdk.unsupported"
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --output "$rootfs/opt/java"
  copy_libs "$rootfs" "$rootfs/opt/java/bin/java" $(find "$rootfs/opt/java/lib" -name '*.so')
  need iptables "apt-get install iptables"
  add_iptables "$rootfs"
  need ip "apt-get install iproute2"
  add_iproute2 "$rootfs"
  # Netty's epoll library is unpacked at run time; it needs only libc, already there.
  printf 'FROM scratch\nCOPY rootfs/ /\nENV JAVA_HOME=/opt/java PATH=/opt/java/bin:/bin\nCMD ["java","-version"]\n' > "$work/Dockerfile"
  docker build -q -t minik8s/jre:21 "$work" >/dev/null
  rm -rf "$work"; trap - EXIT
  echo "built minik8s/jre:21"
fi

if have minik8s/etcd:3.4; then
  echo "minik8s/etcd:3.4 already built"
else
  need etcd "apt-get install etcd-server etcd-client"
  echo "building minik8s/etcd:3.4 (from $(command -v etcd))..."
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  rootfs="$work/rootfs"
  base_fs "$rootfs"
  mkdir -p "$rootfs/usr/local/bin" "$rootfs/var/lib/etcd"
  cp "$(command -v etcd)" "$(command -v etcdctl)" "$rootfs/usr/local/bin/"
  copy_libs "$rootfs" "$rootfs/usr/local/bin/etcd" "$rootfs/usr/local/bin/etcdctl"
  printf 'FROM scratch\nCOPY rootfs/ /\nENV PATH=/usr/local/bin:/bin\nENTRYPOINT ["etcd"]\n' > "$work/Dockerfile"
  docker build -q -t minik8s/etcd:3.4 "$work" >/dev/null
  rm -rf "$work"; trap - EXIT
  echo "built minik8s/etcd:3.4"
fi
