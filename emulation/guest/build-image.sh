#!/bin/sh
# Builds (or fetches from emulation/.cache) the guest kernel + initramfs and prints their paths.
# Needs: apt (Debian 12 sources), dpkg, ldd; QEMU is only needed to boot it:
#   apt-get install -y qemu-system-x86 cpio tshark
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
exec dotnet run --project "$repo/emulation/Offload.Emulation.Cli" -- image "$@"
