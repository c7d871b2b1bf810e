#!/usr/bin/env bash
# Builds, without any registry, the images MiniK8s needs on a node:
#   registry.k8s.io/pause:3.10  the pod sandbox: busybox sh that sleeps until SIGTERM
#   minik8s/busybox:test        busybox with its applets (sh, httpd, nc, sleep...)
#   nginx:1.15.4                the same image serving /www on port 80 (the sample manifests name it)
# from the host's static busybox (Debian: apt-get install busybox-static).
set -euo pipefail
BUSYBOX=${BUSYBOX:-/bin/busybox}
[[ -x "$BUSYBOX" ]] || { echo "no static busybox at $BUSYBOX (apt-get install busybox-static)" >&2; exit 1; }
ctx=$(mktemp -d); trap 'rm -rf "$ctx"' EXIT
cp "$BUSYBOX" "$ctx/busybox"

cat > "$ctx/Dockerfile.pause" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
ENTRYPOINT ["/bin/busybox", "sh", "-c", "trap 'exit 0' TERM INT; /bin/busybox sleep 2147483647 & wait"]
DOCKERFILE

cat > "$ctx/Dockerfile.busybox" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN ["/bin/sh", "-c", "mkdir -p /www /tmp && echo '<h1>Welcome to nginx (minik8s busybox httpd)</h1>' > /www/index.html"]
ENV PATH=/bin
CMD ["sh"]
DOCKERFILE

cat > "$ctx/Dockerfile.nginx" <<'DOCKERFILE'
FROM minik8s/busybox:test
EXPOSE 80
ENTRYPOINT ["httpd", "-f", "-p", "80", "-h", "/www"]
CMD []
DOCKERFILE

docker build -q -t registry.k8s.io/pause:3.10 -f "$ctx/Dockerfile.pause" "$ctx"
docker build -q -t minik8s/busybox:test -f "$ctx/Dockerfile.busybox" "$ctx"
docker build -q -t nginx:1.15.4 -f "$ctx/Dockerfile.nginx" "$ctx"
echo "built registry.k8s.io/pause:3.10 minik8s/busybox:test nginx:1.15.4"
