#!/usr/bin/env bash
# Installs the test prerequisites through apt and runs every test in the solution.
#   ./scripts/test.sh            (re-runs itself through sudo when not root)
# Root is needed twice: apt-get, and the permission tests, which run offloadctl as 'nobody' via setpriv.
# Exit status: dotnet test's (non-zero when any test fails), or apt-get's when installing fails.
set -euo pipefail

cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        # Keep the caller's PATH so a dotnet installed under $HOME is still found.
        exec sudo env "PATH=$PATH" "DOTNET_ROOT=${DOTNET_ROOT:-}" "$0" "$@"
    fi
    echo "test.sh: must run as root (apt-get and the socket permission tests need it), and sudo is not installed" >&2
    exit 2
fi

# Packages the tests use as independent implementations or tools:
#   python3-msgpack  interop tests of the MessagePack codec (run by /usr/bin/python3)
#   tmux             offloadctl watch rendered in a real terminal (send-keys, capture-pane)
#   prometheus       promtool check metrics on offloadd's /metrics
#   tshark           NVMe/TCP and pcap validation
#   qemu-system-x86  the emulated SoC / tenant guests (TCG; KVM is never used)
#   cpio             checks our initramfs writer against the real cpio
#   iproute2 ethtool network namespaces, veth and offload settings for the kernel-port datapath tests
#   util-linux       setpriv, to run offloadctl as an unprivileged user in the permission tests
#   qemu-user-static runs the linux-arm64 (BlueField) publish of nic-fw as arm64 code; apt's arm64 architecture is
#                    added so the tests can download the arm64 C runtime it needs (apt-get download pkg:arm64)
# The guest image itself is built from Debian packages with `apt-get download` + `dpkg -x` (kernel, busybox-static,
# nvme-cli, fio, iperf3), cached under emulation/.cache/.
export DEBIAN_FRONTEND=noninteractive
dpkg --add-architecture arm64
apt-get update -q
apt-get install -y -q --no-install-recommends python3-msgpack tshark qemu-system-x86 cpio iproute2 ethtool util-linux tmux prometheus qemu-user-static

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
dotnet test Offload.sln -c Release "$@"
