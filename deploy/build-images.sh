#!/usr/bin/env bash
# Builds the images the compose files run: minik8s/minik8s:0.1.0 (every component; another tag
# with MINIK8S_IMAGE, which the compose files honour too) and, offline, its base images
# (deploy/images/build-base-images.sh). With --online, starts from public base images instead
# (eclipse-temurin:21-jre, and set ETCD_IMAGE=quay.io/coreos/etcd:v3.4.23 for compose).
# Docker's build cache makes a rebuild with unchanged jars take seconds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
image="${MINIK8S_IMAGE:-minik8s/minik8s:0.1.0}"
online=0
[[ "${1:-}" == "--online" ]] && online=1

components=(api-server controller-manager scheduler kubelet kube-proxy mkctl)
missing=0
for c in "${components[@]}"; do ls "$root/$c"/target/"$c"-*-all.jar >/dev/null 2>&1 || missing=1; done
if (( missing )); then
  [[ -z "${MINIK8S_NO_BUILD:-}" ]] || { echo "build-images: jars missing in */target and MINIK8S_NO_BUILD is set" >&2; exit 1; }
  echo "[1/3] building the jars (./mvnw -B -q package -DskipTests)..."
  (cd "$root" && ./mvnw -B -q package -DskipTests)
else
  echo "[1/3] jars already built"
fi

if (( online )); then
  echo "[2/3] base image: eclipse-temurin:21-jre (pulled)"
  dockerfile=Dockerfile.online
else
  echo "[2/3] base images, built locally..."
  "$root/deploy/images/build-base-images.sh"
  dockerfile=Dockerfile
fi

echo "[3/3] building $image..."
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/jars"
for c in "${components[@]}"; do cp "$root/$c"/target/"$c"-*-all.jar "$work/jars/$c.jar"; done
cp "$root/deploy/$dockerfile" "$work/Dockerfile"
docker build -q -t "$image" "$work" 2> >(grep -v -i -e deprecat -e buildx -e '^$' >&2) >/dev/null
echo "built $image"
