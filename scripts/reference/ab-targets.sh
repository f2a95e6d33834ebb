#!/usr/bin/env bash
# ab-targets.sh — same-run interleaved A/B of two nvmf-target builds (or two configs) on a busy machine.
#
#   scripts/reference/ab-targets.sh DLL_A DLL_B ROUNDS SECONDS PERF_ARGS...
#   e.g. scripts/reference/ab-targets.sh /tmp/base/.../nvmf-target.dll nic-fw/Offload.Nic.Nvme.Runner/bin/Release/net10.0/nvmf-target.dll \
#        4 5 -q 16 -o 131072 -w read
#
# Both targets run at once, pinned to CPU 0 (perf-nvme.sh's config; ZERO_COPY_MIN_A / ZERO_COPY_MIN_B set each one's
# zeroCopyReadMinSize, default 8192), and the load generator (offload-emu perf, built in Release) alternates between
# them on CPU 1, ROUNDS times. Each line: IOPS, MB/s, p50, the target's CPU share and its CPU per I/O from
# /proc/PID/stat. Under load, compare within a pair, not across pairs. Build a baseline with e.g.
#   mkdir /tmp/base && git archive main | tar -x -C /tmp/base && dotnet build /tmp/base/nic-fw/Offload.Nic.Nvme.Runner -c Release
set -euo pipefail
[[ $# -ge 5 ]] || { sed -n '2,14p' "$0"; exit 2; }
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
EMU_DLL="$ROOT/emulation/Offload.Emulation.Cli/bin/Release/net10.0/offload-emu.dll"
DLLS=("$1" "$2"); ZC=("${ZERO_COPY_MIN_A:-8192}" "${ZERO_COPY_MIN_B:-8192}"); ROUNDS="$3"; S="$4"; shift 4
WORK="$(mktemp -d /tmp/ab-targets.XXXXXX)"; PIDS=()
trap 'for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
NQN="nqn.2026-01.io.offload:perf"; HOSTNQN="nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-0000000000cc"
for i in 0 1; do
  cat >"$WORK/t$i.json" <<J
{ "ioccsz": 516, "maxH2CDataSize": 131072, "mdts": 5, "maxQueueEntries": 128, "keepAliveCheckIntervalMs": 100,
  "pollSpinMicroseconds": 1000, "zeroCopyReadMinSize": ${ZC[$i]},
  "subsystems": [ { "nqn": "$NQN", "allowAnyHost": true, "namespaces": [ { "nsid": 1, "size": 67108864, "blockSize": 4096 } ] } ] }
J
  DOTNET_TieredPGO=1 taskset -c 0 dotnet "${DLLS[$i]}" --listen "127.0.0.1:$((45200 + i))" --config "$WORK/t$i.json" >"$WORK/target$i.log" 2>&1 &
  PIDS+=("$!")
done
for i in 0 1; do for _ in $(seq 1 300); do grep -q listening "$WORK/target$i.log" && break; sleep 0.1; done; done
run() {
  local i="$1"; shift
  local c0 c1 t0 t1 out
  c0=$(awk '{print $14+$15}' "/proc/${PIDS[$i]}/stat"); t0=$(date +%s.%N)
  out=$(taskset -c 1 dotnet "$EMU_DLL" perf --target "127.0.0.1:$((45200 + i))" --nqn "$NQN" --hostnqn "$HOSTNQN" "$@" 2>&1 | tail -1)
  c1=$(awk '{print $14+$15}' "/proc/${PIDS[$i]}/stat"); t1=$(date +%s.%N)
  python3 - "$out" "$c0" "$c1" "$t0" "$t1" "$(getconf CLK_TCK)" <<'P'
import re, sys
out, c0, c1, t0, t1, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
m = re.search(r"IOPS (\S+)\s+MB/s (\S+)\s+p50 (\S+)", out); n = re.search(r"reads (\d+) writes (\d+) errors (\d+)", out)
if not (m and n):
    print("no result: " + out); sys.exit(0)
ios = int(n.group(1)) + int(n.group(2)); cpu = (c1 - c0) / hz
print(f"IOPS {float(m.group(1)):9.0f}  MB/s {float(m.group(2)):8.1f}  p50 {m.group(3):>7} us  target CPU {100 * cpu / (t1 - t0):5.1f}%"
      f"  {1e6 * cpu / ios:6.2f} us/IO  errors {n.group(3)}")
P
}
for i in 0 1; do run "$i" -q 8 -o 4096 -w randread -t 2 >/dev/null; done
for r in $(seq 1 "$ROUNDS"); do
  for i in 0 1; do
    printf 'round %d %s load %s: ' "$r" "$([[ $i -eq 0 ]] && echo A || echo B)" "$(cut -d' ' -f1 /proc/loadavg)"
    run "$i" "$@" -t "$S"
  done
done
