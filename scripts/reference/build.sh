#!/usr/bin/env bash
# build.sh — builds the C reference for the NVMe/TCP-shaped loopback exchange (see nvmetcp-shape.c).
#   scripts/reference/build.sh [OUT_DIR]   (default: scripts/reference/bin)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$HERE/bin}"
mkdir -p "$OUT"
gcc -O2 -Wall -Wextra -o "$OUT/nvmetcp-shape" "$HERE/nvmetcp-shape.c"
echo "$OUT/nvmetcp-shape"
