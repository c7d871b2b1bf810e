#!/usr/bin/env bash
# A test bed of several "VMs" on one Linux machine, running MiniK8s from the compose files exactly
# as the README's multi-VM guide does on real VMs (bin/minik8s vms runs this script).
#
#   vms.sh up [--control-planes 3] [--nodes 2] [--separate]   build the bed and the cluster on it
#   vms.sh status                                             VMs, addresses, components, health, memory
#   vms.sh down                                               remove everything, also of a half-built bed
#   vms.sh crash VM | boot VM          kill every process of a VM / start its engine again (its containers come back)
#   vms.sh partition VM | heal VM      take its switch port down / up
#   vms.sh docker VM ARGS... | compose VM control-plane|node ARGS... | exec VM CMD...
#
# A VM is a network namespace (<prefix>-vmI) with a mount and UTS namespace of its own and its own
# dockerd (deploy/vms/vm-init.sh); VM I has the address <net>.(10+I). The VMs and the host share an
# L2 switch: a bridge in a namespace of its own (<prefix>-sw), which the host joins by one veth
# (<prefix>-h0, <net>.1). The VMs have no default route. Nothing here touches the host's dockerd,
# its containers or the host's iptables. VMs double up: with 3 control planes and 2 nodes, vm1-vm3
# are control planes, vm2 and vm3 also nodes; --separate gives every node a VM of its own. The
# controller-manager and the scheduler run on the first two control-plane VMs (leader-elected).
#
# Environment: MINIK8S_VMS_HOME (state, default /var/lib/minik8s-vms), MINIK8S_VMS_PREFIX (names of
# namespaces, interfaces and cgroups, default mk8s), MINIK8S_VMS_NET (the VMs' /24, default
# 198.18.100: RFC 2544's benchmark range), MINIK8S_VMS_JAVA_OPTS (the components' JVM flags),
# CLUSTER_CIDR, MINIK8S_IMAGE, ETCD_IMAGE (as in the compose files).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
home="${MINIK8S_VMS_HOME:-/var/lib/minik8s-vms}"
prefix="${MINIK8S_VMS_PREFIX:-mk8s}"
net="${MINIK8S_VMS_NET:-198.18.100}"
cluster_cidr="${CLUSTER_CIDR:-10.244.0.0/16}"
image="${MINIK8S_IMAGE:-minik8s/minik8s:0.1.0}"
etcd_image="${ETCD_IMAGE:-minik8s/etcd:3.4}"
node_images=(registry.k8s.io/pause:3.10 minik8s/busybox:test nginx:1.15.4)
# Small heaps, the serial collector and the C1 compiler only: a dozen JVMs share two cores here.
java_opts="${MINIK8S_VMS_JAVA_OPTS:--XX:+UseSerialGC -Xms16m -Xmx160m -XX:TieredStopAtLevel=1 -Xss512k}"
switch_ns="$prefix-sw" host_if="$prefix-h0" bridge=br0
compose_dir="$root/deploy/compose"
kubelet_mountpoint=/var/lib/minik8s-kubelet
t_start=$SECONDS

say() { printf '%s\n' "$*"; }
step() { printf '[%3ds] %s\n' "$(( SECONDS - t_start ))" "$*"; }
die() { printf 'vms: %s\n' "$*" >&2; exit 1; }

vm_ip() { printf '%s.%d' "$net" $(( 10 + ${1#vm} )); }
vm_dir() { printf '%s/%s' "$home" "$1"; }
vm_ns() { printf '%s-%s' "$prefix" "$1"; }
vm_sock() { printf 'unix://%s/docker.sock' "$(vm_dir "$1")"; }
dk() { local vm="$1"; shift; docker -H "$(vm_sock "$vm")" "$@"; }
has_role() { grep -qw "$2" "$(vm_dir "$1")/roles" 2>/dev/null; }
# The VMs of the bed, from its directories, in order (vm1 vm2 ...).
vms() { local d; for d in "$home"/vm[0-9]*; do [[ -d "$d" ]] && basename "$d"; done | sort -V; }
vms_with() { local vm; for vm in $(vms); do has_role "$vm" "$1" && echo "$vm"; done; return 0; }
# The VM's list of every api-server, its own first (each client fails over along the list).
api_list() {
  local vm="$1" own="" rest="" v
  for v in $(vms_with control-plane); do
    if [[ "$v" == "$vm" ]]; then own="$(vm_ip "$v"):6443"; else rest+="${rest:+,}$(vm_ip "$v"):6443"; fi
  done
  [[ -n "$own" ]] && printf '%s%s' "$own" "${rest:+,$rest}" || printf '%s' "$rest"
}

prerequisites() {
  [[ $(id -u) == 0 ]] || die "run as root: the bed creates network namespaces, a bridge and Docker engines"
  command -v ip >/dev/null || die "ip is missing (Debian: apt-get install iproute2)"
  command -v nsenter >/dev/null && command -v unshare >/dev/null || die "nsenter/unshare are missing (Debian: apt-get install util-linux)"
  command -v dockerd >/dev/null && command -v docker >/dev/null || die "Docker is missing (Debian: apt-get install docker.io)"
  command -v docker-compose >/dev/null || die "docker-compose is missing (Debian: apt-get install docker-compose)"
  command -v curl >/dev/null || die "curl is missing (Debian: apt-get install curl)"
  docker info >/dev/null 2>&1 || die "the host's Docker engine does not answer: it holds the images to load into the VMs (start dockerd)"
  ip netns list >/dev/null 2>&1 || die "ip netns does not work here (a kernel with network namespaces is needed)"
}

# ---- the switch and the VMs ------------------------------------------------------------------

switch_up() {
  ip netns add "$switch_ns"
  ip -n "$switch_ns" link set lo up
  # The bridge lives in a namespace of its own: frames between VMs then cross that namespace's
  # (empty) netfilter, never the host's FORWARD chain, which the host's dockerd owns.
  ip -n "$switch_ns" link add "$bridge" type bridge
  ip -n "$switch_ns" link set "$bridge" up
  ip link add "$host_if" type veth peer name host netns "$switch_ns"
  ip -n "$switch_ns" link set host master "$bridge" up
  ip addr add "$net.1/24" dev "$host_if"
  ip link set "$host_if" up
}

vm_create() { # vm roles...
  local vm="$1" d ns; shift
  d="$(vm_dir "$vm")"; ns="$(vm_ns "$vm")"
  mkdir -p "$d/etc" "$d/kubelet" "$d/exec"
  echo "$*" > "$d/roles"
  printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$d/etc/hosts"
  echo "$vm" > "$d/etc/hostname"
  printf '{ "deprecated-key-path": "%s/key.json" }\n' "$d" > "$d/daemon.json"
  ip netns add "$ns"
  ip link add eth0 netns "$ns" type veth peer name "$vm" netns "$switch_ns"
  ip -n "$switch_ns" link set "$vm" master "$bridge" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$(vm_ip "$vm")/24" dev eth0
  ip -n "$ns" link set eth0 up   # and no default route: nothing leaves the addresses the bed made
}

# Starts the VM's engine (its "boot"); the containers whose restart policy says so come back.
vm_boot() { # vm
  local vm="$1" d i
  d="$(vm_dir "$vm")"
  [[ -d "$d" ]] || die "no VM $vm (see vms status)"
  if dk "$vm" version >/dev/null 2>&1; then return 0; fi
  rm -f "$d/docker.pid" "$d/docker.sock"
  MINIK8S_VM_HOST_MNTNS="$(readlink /proc/self/ns/mnt)" \
    nsenter --net="/run/netns/$(vm_ns "$vm")" -- unshare --mount --uts --propagation slave -- \
    setsid "$here/vm-init.sh" "$vm" "$d" "$(vm_ns "$vm")" >>"$d/dockerd.log" 2>&1 </dev/null &
  for i in $(seq 300); do dk "$vm" version >/dev/null 2>&1 && return 0; sleep 0.1; done
  die "$vm: its dockerd did not answer within 30s; see $d/dockerd.log"
}

# Every process of a VM: those in its network namespace (dockerd, containerd, the shims, the
# host-network containers) and those in its cgroups (the pods, which have namespaces of their own).
vm_pids() { # vm
  local ns cg
  ns="$(vm_ns "$1")"
  {
    ip netns pids "$ns" 2>/dev/null || true
    for cg in /sys/fs/cgroup/*/"$ns"; do
      [[ -d "$cg" ]] && find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null
    done
  } | sort -un
}

vm_kill() { # vm: SIGKILL to every process of the VM, until none is left
  local vm="$1" pids i
  for i in $(seq 100); do
    pids="$(vm_pids "$vm")"
    [[ -z "$pids" ]] && return 0
    kill -KILL $pids 2>/dev/null || true
    sleep 0.1
  done
  die "$vm: processes left after SIGKILL: $(vm_pids "$vm" | tr '\n' ' ')"
}

vm_remove() { # vm: everything of one VM, whatever state it is in
  local vm="$1" ns d cg
  ns="$(vm_ns "$vm")"; d="$(vm_dir "$vm")"
  vm_kill "$vm"
  ip netns list | grep -qx "$ns\( .*\)\?" && ip netns del "$ns"
  for cg in /sys/fs/cgroup/*/"$ns"; do
    [[ -d "$cg" ]] && find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  # The VM's mounts lived in its own mount namespace, gone with its processes: none may be left.
  if grep -q " $d/" /proc/self/mounts; then
    die "$vm: mounts left under $d (not removed): $(grep " $d/" /proc/self/mounts | awk '{print $2}' | tr '\n' ' ')"
  fi
  rm -rf "$d"
}

# ---- images ----------------------------------------------------------------------------------

# The host's images, saved once into one archive (layers shared between images are written once),
# loaded into every VM's engine at the same time. There is no registry.
images_load() {
  local tar="$home/images.tar" ids vm i pids=() vmlist=() failed=0 all=("$image" "$etcd_image" "${node_images[@]}")
  docker image inspect "${all[@]}" >/dev/null 2>&1 \
    || die "images missing on the host: ${all[*]} (build them: deploy/build-images.sh, deploy/images/build-test-images.sh)"
  ids="$(docker image inspect -f '{{.Id}}' "${all[@]}" | paste -sd' ')"
  if [[ ! -f "$tar" || "$(cat "$tar.ids" 2>/dev/null)" != "$ids" ]]; then
    docker save -o "$tar.tmp" "${all[@]}"
    mv "$tar.tmp" "$tar"; echo "$ids" > "$tar.ids"
  fi
  for vm in "$@"; do
    dk "$vm" load -q -i "$tar" >"$(vm_dir "$vm")/load.log" 2>&1 &
    pids+=($!); vmlist+=("$vm")
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { failed=1; say "  loading into ${vmlist[$i]} failed: $(cat "$(vm_dir "${vmlist[$i]}")/load.log")"; }
  done
  (( failed == 0 )) || die "docker load failed"
}

# ---- the cluster: the compose files, unchanged, against each VM's engine -----------------------

# The cluster PKI, in one folder every VM's engine mounts (MINIK8S_PKI): the api-servers' certificate
# names every control-plane VM's address, each node's names its VM's address (the api-server checks
# it when it reaches the kubelet). On real VMs only the nodes' own files are copied to each node.
pki_dir() { printf '%s' "$home/pki"; }
make_pki() {
  local sans="" v
  for v in $(vms_with control-plane); do sans+="${sans:+,}$(vm_ip "$v")"; done
  mkctl pki init --dir "$(pki_dir)" --san "$sans" --server "$(api_list none)" | sed 's/^/  /'
  for v in $(vms_with node); do mkctl pki node "$v" --dir "$(pki_dir)" --ip "$(vm_ip "$v")" | sed 's/^/  /'; done
}

write_env_files() {
  local vm d initial="" v
  for v in $(vms_with control-plane); do initial+="${initial:+,}$v=http://$(vm_ip "$v"):2380"; done
  for vm in $(vms); do
    d="$(vm_dir "$vm")"
    if has_role "$vm" control-plane; then
      cat > "$d/control-plane.env" <<EOF
NODE_IP=$(vm_ip "$vm")
ETCD_NAME=$vm
ETCD_INITIAL_CLUSTER=$initial
CLUSTER_CIDR=$cluster_cidr
MINIK8S_IMAGE=$image
ETCD_IMAGE=$etcd_image
MINIK8S_PKI=$(pki_dir)
JAVA_TOOL_OPTIONS=$java_opts
EOF
    fi
    if has_role "$vm" node; then
      cat > "$d/node.env" <<EOF
NODE_NAME=$vm
NODE_IP=$(vm_ip "$vm")
API_SERVERS=$(api_list "$vm")
CLUSTER_CIDR=$cluster_cidr
MINIK8S_IMAGE=$image
MINIK8S_PKI=$(pki_dir)
JAVA_TOOL_OPTIONS=$java_opts
EOF
    fi
  done
}

# docker-compose on the host against one VM's engine, with that VM's variables.
vm_compose() { # vm control-plane|node args...
  local vm="$1" file="$2"; shift 2
  local project=minik8s
  [[ "$file" == node ]] && project=minik8s-node
  DOCKER_HOST="$(vm_sock "$vm")" docker-compose --env-file "$(vm_dir "$vm")/$file.env" -p "$project" \
    -f "$compose_dir/$file.yml" "$@"
}

# Runs "vm_compose VM FILE up -d [services]" on several VMs at once; each VM's output in its up-FILE.log.
compose_up_on() { # file vm...
  local file="$1" vm pids=() vmlist=() failed=0 i services; shift
  for vm in "$@"; do
    services=()
    # etcd and the api-server on every control-plane VM; the controllers only where the roles say.
    [[ "$file" == control-plane ]] && ! has_role "$vm" controllers && services=(etcd api-server)
    vm_compose "$vm" "$file" up -d "${services[@]}" >"$(vm_dir "$vm")/up-$file.log" 2>&1 &
    pids+=($!); vmlist+=("$vm")
  done
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      failed=1
      say "  ${vmlist[$i]}: docker-compose -f $file.yml up failed:"; sed 's/^/    /' "$(vm_dir "${vmlist[$i]}")/up-$file.log"
    fi
  done
  (( failed == 0 )) || die "docker-compose up failed (see above)"
}

mkctl() { MKCTL_CONFIG="$(pki_dir)/admin.conf" "$root/bin/mkctl" "$@"; }

wait_nodes_ready() { # seconds
  local want ready=0 servers limit="$1" t0=$SECONDS
  want=$(vms_with node | wc -l)
  servers="$(api_list none)"
  until (( ready == want )); do
    ready=$(mkctl --server "$servers" get nodes --no-headers 2>/dev/null | awk '$2 == "Ready"' | wc -l)
    printf '\r[%3ds]   %d/%d nodes Ready' "$(( SECONDS - t_start ))" "$ready" "$want"
    (( ready == want )) && break
    (( SECONDS - t0 > limit )) && { echo; return 1; }
    sleep 2
  done
  echo
}

# ---- commands ---------------------------------------------------------------------------------

up() {
  local cps=3 nodes=2 separate=0 count i vm roles
  while (( $# )); do
    case "$1" in
      --control-planes) cps="${2:-}"; shift 2 || die "--control-planes takes a number" ;;
      --control-planes=*) cps="${1#*=}"; shift ;;
      --nodes) nodes="${2:-}"; shift 2 || die "--nodes takes a number" ;;
      --nodes=*) nodes="${1#*=}"; shift ;;
      --separate) separate=1; shift ;;
      *) die "unknown option $1 (vms up [--control-planes 1|3|5] [--nodes N] [--separate])" ;;
    esac
  done
  [[ "$cps" =~ ^[135]$ ]] || die "--control-planes takes 1, 3 or 5 (etcd needs an odd number of members)"
  [[ "$nodes" =~ ^[0-9]$ ]] || die "--nodes takes a number from 0 to 9"
  prerequisites
  if [[ -n "$(vms)" ]] || ip netns list | grep -q "^$prefix-"; then
    die "a bed exists already ($home, namespaces $prefix-*): vms status shows it, vms down removes it"
  fi
  (( separate )) && count=$(( cps + nodes )) || count=$(( cps > nodes ? cps : nodes ))
  (( count <= 12 )) || die "at most 12 VMs"
  mkdir -p "$home"
  if [[ ! -e "$kubelet_mountpoint" ]]; then
    # Each VM binds a directory of its own here (a VM's kubelet root): an empty mount point, removed by down.
    mkdir -p "$kubelet_mountpoint"; touch "$home/made-kubelet-mountpoint"
  fi

  step "[1/6] the switch: bridge $bridge in namespace $switch_ns; the host joins it as $host_if $net.1/24"
  switch_up
  step "[2/6] $count VMs: a network namespace, mount and UTS namespaces and a dockerd each"
  for (( i = 1; i <= count; i++ )); do
    roles=""
    (( i <= cps )) && roles+=" control-plane"
    (( i <= cps && i <= 2 )) && roles+=" controllers"
    if (( separate )); then (( i > cps )) && roles+=" node"; else (( i > count - nodes )) && roles+=" node"; fi
    vm_create "vm$i" $roles
  done
  for vm in $(vms); do vm_boot "$vm" & done
  wait
  for vm in $(vms); do
    dk "$vm" version >/dev/null 2>&1 || die "$vm: its dockerd is not up; see $(vm_dir "$vm")/dockerd.log"
    step "  $vm $(vm_ip "$vm") ($(cat "$(vm_dir "$vm")/roles" | sed 's/^ //; s/ /, /g')): dockerd pid $(cat "$(vm_dir "$vm")/docker.pid")"
  done
  step "[3/6] images: docker save on the host once, docker load into every VM at once"
  images_load $(vms)
  step "  the cluster PKI in $(pki_dir) (mkctl pki): every component talks mutual TLS"
  make_pki
  write_env_files
  local cpl; cpl="$(vms_with control-plane | paste -sd' ')"
  step "[4/6] control plane on $cpl: docker-compose -f deploy/compose/control-plane.yml up -d (one etcd member and an api-server each)"
  compose_up_on control-plane $(vms_with control-plane)
  step "  etcd has 3 members and the api-servers are ready"
  step "[5/6] nodes on $(vms_with node | paste -sd' '): docker-compose -f deploy/compose/node.yml up -d"
  compose_up_on node $(vms_with node)
  step "[6/6] waiting for the nodes to be Ready..."
  wait_nodes_ready 360 || die "nodes not Ready after 6 minutes; see vms status, and vms compose VM node logs"
  say ""
  say "MiniK8s on $count VMs: every node Ready ${SECONDS}s after 'vms up' started."
  say "The api-servers: $(api_list none)  (from this host, through $host_if)"
  say "  MKCTL_CONFIG=$(pki_dir)/admin.conf bin/mkctl --server $(api_list none) get nodes -o wide"
  say "  bin/minik8s vms status; bin/minik8s vms down"
}

# The resident memory of a component's main process (the JVM, or etcd), by its compose container.
component_rss() { # vm component
  local pid
  pid=$(dk "$1" ps -q --filter "label=com.docker.compose.service=$2" 2>/dev/null | head -1 \
    | xargs -r docker -H "$(vm_sock "$1")" inspect -f '{{.State.Pid}}' 2>/dev/null)
  [[ -n "$pid" && "$pid" != 0 ]] && ps -o rss= -p "$pid" | awk '{printf "RSS %d MB", $1/1024}'
  return 0
}

status() {
  local vm d state rss health c url name
  [[ -n "$(vms)" ]] || { say "no bed ($home has no VM)"; ip netns list | grep "^$prefix-" && say "(but namespaces are left: vms down removes them)"; return 1; }
  for vm in $(vms); do
    d="$(vm_dir "$vm")"
    if dk "$vm" version >/dev/null 2>&1; then state="dockerd up (pid $(cat "$d/docker.pid"))"; else state="dockerd DOWN"; fi
    if [[ "$(ip -n "$switch_ns" -o link show "$vm" 2>/dev/null)" == *"state DOWN"* ]]; then state+=", switch port DOWN (partitioned)"; fi
    rss=$(vm_pids "$vm" | paste -sd, | xargs -r ps -o rss= -p 2>/dev/null | awk '{s+=$1} END {printf "%d", s/1024}')
    say "$vm $(vm_ip "$vm")  roles:$(cat "$d/roles")  $state  RSS ${rss:-0} MB"
    for c in etcd:2379/health api-server:8080/readyz controller-manager:10257/healthz scheduler:10259/healthz \
      kubelet:10248/healthz kube-proxy:10256/healthz; do
      name="${c%%:*}"; url="http://$(vm_ip "$vm"):${c#*:}"
      case "$name" in
        etcd|api-server) has_role "$vm" control-plane || continue ;;
        controller-manager|scheduler) has_role "$vm" controllers || continue ;;
        *) has_role "$vm" node || continue ;;
      esac
      health=$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$url" 2>/dev/null || true)
      [[ "$health" == 200 ]] && health=healthy || health="not healthy (${health:-no answer})"
      printf '  %-19s %-26s %s\n' "$name" "$health" "$(component_rss "$vm" "$name")"
    done
  done
  say "api-servers: $(api_list none)"
}

down() {
  local vm
  for vm in $(vms); do vm_remove "$vm"; say "removed $vm"; done
  # Namespaces of a bed whose directories are gone already (an interrupted run).
  for vm in $(ip netns list | awk '{print $1}' | sed -n "s/^$prefix-\(vm[0-9]*\)$/\1/p"); do
    vm_kill "$vm"; ip netns del "$(vm_ns "$vm")"; say "removed namespace $(vm_ns "$vm")"
  done
  ip link show "$host_if" >/dev/null 2>&1 && ip link del "$host_if"
  ip netns list | grep -q "^$switch_ns\b" && ip netns del "$switch_ns" && say "removed the switch $switch_ns"
  if [[ -f "$home/made-kubelet-mountpoint" ]]; then rmdir "$kubelet_mountpoint" 2>/dev/null || true; fi
  rm -rf "$home"
  say "the bed is gone"
}

need_vm() { [[ -n "${1:-}" && -d "$(vm_dir "$1")" ]] || die "no VM '${1:-}' (see vms status)"; }

case "${1:-}" in
  up) shift; up "$@" ;;
  status) status ;;
  down) down ;;
  crash) need_vm "${2:-}"; vm_kill "$2"; say "$2: every process killed" ;;
  boot) need_vm "${2:-}"; vm_boot "$2"; say "$2: dockerd up again" ;;
  partition) need_vm "${2:-}"; ip -n "$switch_ns" link set "$2" down; say "$2: switch port down" ;;
  heal) need_vm "${2:-}"; ip -n "$switch_ns" link set "$2" up; say "$2: switch port up" ;;
  docker) need_vm "${2:-}"; vm="$2"; shift 2; dk "$vm" "$@" ;;
  compose) need_vm "${2:-}"; shift; vm_compose "$@" ;;
  exec) need_vm "${2:-}"; vm="$2"; shift 2
        exec nsenter -t "$(cat "$(vm_dir "$vm")/docker.pid")" -n -m -u -- "$@" ;;
  *) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; [[ -n "${1:-}" ]] && exit 2 || exit 0 ;;
esac
