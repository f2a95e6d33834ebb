#!/usr/bin/env bash
# build.sh — builds the C references: the NVMe/TCP-shaped loopback exchange (nvmetcp-shape.c) and the null NVMe/TCP
# target that measures our load generator's own ceiling (nvmetcp-null.c).
#   scripts/reference/build.sh [OUT_DIR]   (default: scripts/reference/bin)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$HERE/bin}"
mkdir -p "$OUT"
gcc -O2 -Wall -Wextra -o "$OUT/nvmetcp-shape" "$HERE/nvmetcp-shape.c"
gcc -O2 -Wall -Wextra -o "$OUT/nvmetcp-null" "$HERE/nvmetcp-null.c"
echo "$OUT/nvmetcp-shape"
