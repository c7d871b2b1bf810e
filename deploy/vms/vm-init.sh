#!/bin/sh
# The "boot" of one test-bed VM (deploy/vms/vms.sh starts it): it runs inside the VM's network
# namespace (nsenter --net) and in a mount and UTS namespace of its own (unshare --mount --uts
# --propagation slave), makes that mount namespace look like a separate machine, and becomes the
# VM's dockerd. Usage: vm-init.sh HOSTNAME VM_DIR CGROUP_PARENT
#
# Why each step (../../README.md, "Several VMs", describes the bed as a whole):
# - its own /run (a tmpfs): the VM's engine listens on /run/docker.sock as on any machine, and the
#   node.yml kubelet mounts /var/run/docker.sock, which must be this VM's engine, not the host's;
# - its own /etc/hosts without the VM's name (a VM whose name is in no resolver: nothing of
#   MiniK8s may need to resolve its own host name) and its own /var/lib/minik8s-kubelet;
# - a sysfs of this network namespace, with the host's cgroup tree bound back under it (`ip netns
#   exec` remounts /sys and hides /sys/fs/cgroup, and dockerd then dies);
# - no copy of the host engine's mounts (overlays, /run/docker/netns): they would pin the host's
#   containers. The namespace is a slave: nothing done here propagates back to the host.
set -eu
NAME=$1 D=$2 CGROUP=$3
if [ -z "${MINIK8S_VM_HOST_MNTNS:-}" ] || [ "$(readlink /proc/self/ns/mnt)" = "$MINIK8S_VM_HOST_MNTNS" ]; then
  echo "vm-init: not in a mount namespace of its own: refusing to touch any mount" >&2
  exit 1
fi
hostname "$NAME"

# The copies of the host's mounts under /run, /var/lib/docker and the kubelet's directory go.
awk '{print $2}' /proc/self/mounts \
  | grep -E '^(/run/.|/var/run/.|/var/lib/docker(/|$)|/var/lib/minik8s-kubelet(/|$))' \
  | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done

mkdir -p "$D/.cgroup"
mount --rbind /sys/fs/cgroup "$D/.cgroup"
mount -t sysfs sysfs /sys
mount --rbind "$D/.cgroup" /sys/fs/cgroup
umount -l "$D/.cgroup"

mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/lock
mount --bind "$D/etc/hosts" /etc/hosts
mount --bind "$D/etc/hostname" /etc/hostname
mount --bind "$D/kubelet" /var/lib/minik8s-kubelet

# Its own data, state, socket, pid file, cgroup parent and engine key (daemon.json names the key:
# dockerd has no flag for it, and every engine would otherwise report the same ID).
exec dockerd \
  --config-file "$D/daemon.json" \
  --data-root "$D/docker" \
  --exec-root "$D/exec" \
  --pidfile "$D/docker.pid" \
  -H "unix://$D/docker.sock" -H unix:///run/docker.sock \
  --cgroup-parent "/$CGROUP"
