#!/bin/sh
# /init of the Offload guest initramfs (busybox sh). Built into the image by
# Offload.Emulation's GuestImageBuilder; see emulation/Offload.Emulation/README.md.
#
# Kernel command line knobs (all optional):
#   offload.ip=10.0.2.15/24   guest address on eth0 (default: slirp's 10.0.2.15/24)
#   offload.gw=10.0.2.2       default route ("none" for no route)
#   offload.hostname=guest    hostname
# Console markers (parsed by QemuRunner):
#   @@BOOT@@  @@MODULE name rc=N@@  @@READY@@  @@BEGIN name@@  @@RESULT name rc=N@@  @@DONE@@
/bin/busybox mkdir -p /proc /sys /dev /tmp /run /sbin /usr/bin /usr/sbin /var/tmp /etc/nvme
/bin/busybox --install -s
export PATH=/sbin:/bin:/usr/sbin:/usr/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts 2>/dev/null
echo "@@BOOT@@"

OFFLOAD_IP=10.0.2.15/24
OFFLOAD_GW=10.0.2.2
OFFLOAD_HOSTNAME=guest
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    offload.ip=*) OFFLOAD_IP="${arg#offload.ip=}" ;;
    offload.gw=*) OFFLOAD_GW="${arg#offload.gw=}" ;;
    offload.hostname=*) OFFLOAD_HOSTNAME="${arg#offload.hostname=}" ;;
  esac
done
hostname "$OFFLOAD_HOSTNAME"

# Modules: flat /lib/modules/<name>.ko, loaded in the order the builder computed from each
# module's .modinfo depends=/softdep= (the deb ships no modules.dep).
for m in $(cat /etc/offload/modules.order); do
  insmod "/lib/modules/$m.ko"
  echo "@@MODULE $m rc=$?@@"
done

ip link set lo up
i=0
while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if [ -e /sys/class/net/eth0 ]; then
  ip link set eth0 up
  ip addr add "$OFFLOAD_IP" dev eth0
  if [ "$OFFLOAD_GW" != "none" ]; then ip route add default via "$OFFLOAD_GW"; fi
  echo "@@NET eth0 $OFFLOAD_IP rc=0@@"
else
  echo "@@NET eth0 missing rc=1@@"
fi
echo "@@READY@@"

# step NAME CMD...: runs CMD, framing its output with markers the host parses.
step() {
  step_name="$1"
  shift
  echo "@@BEGIN $step_name@@"
  "$@" 2>&1
  step_rc=$?
  echo "@@RESULT $step_name rc=$step_rc@@"
  return $step_rc
}

# wait_for_ping ADDR [TRIES]: true once ADDR answers one ICMP echo (1 s per try, default 90 tries).
wait_for_ping() {
  wfp_i=0
  while [ $wfp_i -lt "${2:-90}" ]; do
    ping -c 1 -W 1 "$1" >/dev/null 2>&1 && return 0
    wfp_i=$((wfp_i + 1))
  done
  echo "no answer from $1"
  return 1
}

# retry TRIES CMD...: runs CMD until it succeeds, sleeping 1 s between tries.
retry() {
  retry_n="$1"
  shift
  retry_i=0
  while [ $retry_i -lt "$retry_n" ]; do
    "$@" && return 0
    retry_i=$((retry_i + 1))
    sleep 1
  done
  return 1
}

if [ -f /scenario.sh ]; then
  . /scenario.sh
fi

echo "@@DONE@@"
sync
poweroff -f
