#!/usr/bin/env bash
# perf-nvme.sh — the NVMe/TCP target's performance figures in one run, beside same-run loopback baselines.
#
#   scripts/perf-nvme.sh [--json] [--seconds N] [--no-pin] [--port P] [--no-build] [--zero-copy-min BYTES]
#
# Runs, against nic-fw/Offload.Nic.Nvme.Runner (nvmf-target) over 127.0.0.1, with our load generator
# (offload-emu perf, spdk_nvme_perf's flags):
#   -q 1  -o 4096   -w randread    (QD1 latency)
#   -q 32 -o 4096   -w randread    (deep-queue IOPS)
#   -q 16 -o 131072 -w read        (bandwidth)
# N seconds each (default 10, as spdk_nvme_perf -t 10), plus the target's idle CPU with connected queues (4 I/O
# queues, 1 IOPS in all, sampled over N seconds once connected), and the baselines: sockperf TCP 64-byte ping-pong (one-way p50/p99) and iperf3
# single-stream loopback, and the machine's ceiling for the same exchange from the C reference
# (scripts/reference/nvmetcp-shape.c: one epoll thread each side, batched recv/writev; QD32 4 KiB and QD16 128 KiB),
# and the load generator's own ceiling against a C null NVMe/TCP target (scripts/reference/nvmetcp-null.c).
# Target CPU comes from /proc/PID/stat (utime+stime) over each run. By default the target
# is pinned to CPU 0 and the initiators/baselines' clients to CPU 1 (taskset), like SPDK's anchor (one core each).
# Prints a table; --json prints one JSON object (schema offload.perf-nvme/v1) instead.
# Processes started here are stopped by PID on exit. Exit code 0 when every workload ran without I/O errors.
set -euo pipefail

JSON=0
SECONDS_PER_RUN=10
PIN=1
PORT=44420
BUILD=1
ZERO_COPY_MIN=8192
while [[ $# -gt 0 ]]; do
  case "$1" in
    --json) JSON=1 ;;
    --seconds) SECONDS_PER_RUN="$2"; shift ;;
    --no-pin) PIN=0 ;;
    --port) PORT="$2"; shift ;;
    --no-build) BUILD=0 ;;
    --zero-copy-min) ZERO_COPY_MIN="$2"; shift ;;  # target's zeroCopyReadMinSize (0 = copy every read), for A/B runs
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "perf-nvme.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d /tmp/perf-nvme.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]:-}"; do
    [[ -n "$pid" ]] && wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

log() { if [[ $JSON -eq 0 ]]; then echo "$@" >&2; fi; }

for tool in sockperf iperf3 python3 gcc; do
  command -v "$tool" >/dev/null || { echo "perf-nvme.sh: $tool is not installed (apt-get install -y $tool)" >&2; exit 3; }
done
if [[ $PIN -eq 1 ]] && ! command -v taskset >/dev/null; then PIN=0; fi
TARGET_CPU=(); CLIENT_CPU=()
if [[ $PIN -eq 1 && $(nproc) -ge 2 ]]; then TARGET_CPU=(taskset -c 0); CLIENT_CPU=(taskset -c 1); fi

if [[ $BUILD -eq 1 ]]; then
  log "building nvmf-target and offload-emu (Release)..."
  dotnet build "$ROOT/nic-fw/Offload.Nic.Nvme.Runner" -c Release -v q -nologo >"$WORK/build-target.log" 2>&1 \
    || { cat "$WORK/build-target.log" >&2; exit 1; }
  dotnet build "$ROOT/emulation/Offload.Emulation.Cli" -c Release -v q -nologo >"$WORK/build-emu.log" 2>&1 \
    || { cat "$WORK/build-emu.log" >&2; exit 1; }
fi
"$ROOT/scripts/reference/build.sh" "$WORK/ref" >/dev/null || { echo "perf-nvme.sh: building the C reference failed" >&2; exit 1; }
TARGET_DLL="$ROOT/nic-fw/Offload.Nic.Nvme.Runner/bin/Release/net10.0/nvmf-target.dll"
EMU_DLL="$ROOT/emulation/Offload.Emulation.Cli/bin/Release/net10.0/offload-emu.dll"

NQN="nqn.2026-01.io.offload:perf"
HOSTNQN="nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-0000000000cc"
cat >"$WORK/target.json" <<EOF
{
  "ioccsz": 516, "maxH2CDataSize": 131072, "mdts": 5, "maxQueueEntries": 128,
  "keepAliveCheckIntervalMs": 100, "pollSpinMicroseconds": 1000, "zeroCopyReadMinSize": $ZERO_COPY_MIN,
  "subsystems": [ { "nqn": "$NQN", "allowAnyHost": true,
                    "namespaces": [ { "nsid": 1, "size": 67108864, "blockSize": 4096 } ] } ]
}
EOF

DOTNET_TieredPGO=1 "${TARGET_CPU[@]}" dotnet "$TARGET_DLL" --listen "127.0.0.1:$PORT" --config "$WORK/target.json" \
  >"$WORK/target.log" 2>&1 &
TARGET_PID=$!
PIDS+=("$TARGET_PID")
for _ in $(seq 1 300); do
  grep -q "listening" "$WORK/target.log" 2>/dev/null && break
  kill -0 "$TARGET_PID" 2>/dev/null || { cat "$WORK/target.log" >&2; exit 1; }
  sleep 0.1
done
grep -q "listening" "$WORK/target.log" || { echo "perf-nvme.sh: nvmf-target did not start" >&2; exit 1; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
CLK_TCK=$(getconf CLK_TCK)

# run_perf_on PID PORT NAME ARGS... → $WORK/NAME.out (load generator line) and $WORK/NAME.cpu (CPU of target PID, wall)
run_perf_on() {
  local pid="$1" port="$2" name="$3"; shift 3
  local t0 c0 t1 c1
  t0=$(date +%s.%N); c0=$(cpu_ticks "$pid")
  "${CLIENT_CPU[@]}" dotnet "$EMU_DLL" perf --target "127.0.0.1:$port" --nqn "$NQN" --hostnqn "$HOSTNQN" "$@" \
    >"$WORK/$name.out" 2>&1 || true
  t1=$(date +%s.%N); c1=$(cpu_ticks "$pid")
  echo "$(( c1 - c0 )) $CLK_TCK $t0 $t1" >"$WORK/$name.cpu"
  log "  $name: $(tail -n 1 "$WORK/$name.out")"
}
run_perf() { run_perf_on "$TARGET_PID" "$PORT" "$@"; }

log "warm-up (2 s)..."
run_perf warmup -q 8 -o 4096 -w randread -t 2
log "workloads, ${SECONDS_PER_RUN} s each:"
run_perf qd1 -q 1 -o 4096 -w randread -t "$SECONDS_PER_RUN"
run_perf qd32 -q 32 -o 4096 -w randread -t "$SECONDS_PER_RUN"
run_perf seq128k -q 16 -o 131072 -w read -t "$SECONDS_PER_RUN"
# Idle: 4 connected I/O queues at 1 IOPS in all; the target's CPU is sampled over N s once they are connected.
"${CLIENT_CPU[@]}" dotnet "$EMU_DLL" perf --target "127.0.0.1:$PORT" --nqn "$NQN" --hostnqn "$HOSTNQN" \
  --queues 4 -q 4 -o 4096 -w randread --rate 1 -t $((SECONDS_PER_RUN + 5)) >"$WORK/idle.out" 2>&1 &
IDLE_PID=$!
PIDS+=("$IDLE_PID")
sleep 3
t0=$(date +%s.%N); c0=$(cpu_ticks "$TARGET_PID")
sleep "$SECONDS_PER_RUN"
t1=$(date +%s.%N); c1=$(cpu_ticks "$TARGET_PID")
echo "$(( c1 - c0 )) $CLK_TCK $t0 $t1" >"$WORK/idle.cpu"
wait "$IDLE_PID" || true
log "  idle: $(tail -n 1 "$WORK/idle.out")"

log "baselines:"
# wait_listening PORT: the loaded machine may take seconds to start a server.
wait_listening() {
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
"${TARGET_CPU[@]}" sockperf server --tcp -i 127.0.0.1 -p $((PORT + 1)) >"$WORK/sockperf-server.log" 2>&1 &
PIDS+=("$!")
wait_listening $((PORT + 1)) || log "  sockperf server did not start"
"${CLIENT_CPU[@]}" sockperf ping-pong --tcp -i 127.0.0.1 -p $((PORT + 1)) -m 64 -t "$SECONDS_PER_RUN" \
  >"$WORK/sockperf.out" 2>&1 || true
log "  sockperf: $(grep -E 'percentile 50.000|percentile 99.000' "$WORK/sockperf.out" | tr -s ' ' | tr '\n' ' ')"
"${TARGET_CPU[@]}" iperf3 -s -p $((PORT + 2)) >"$WORK/iperf3-server.log" 2>&1 &
PIDS+=("$!")
wait_listening $((PORT + 2)) || log "  iperf3 server did not start"
"${CLIENT_CPU[@]}" iperf3 -c 127.0.0.1 -p $((PORT + 2)) -t "$SECONDS_PER_RUN" -J >"$WORK/iperf3.json" 2>&1 || true
log "  iperf3: done"

# run_reference NAME PORT QD BYTES → $WORK/NAME.out ("requests N seconds S rps R MBps M p50_us P") and NAME.cpu
run_reference() {
  local name="$1" port="$2" qd="$3" bytes="$4" spid t0 c0 t1 c1
  "${TARGET_CPU[@]}" "$WORK/ref/nvmetcp-shape" server "$port" "$bytes" >"$WORK/$name-server.log" 2>&1 &
  spid=$!
  PIDS+=("$spid")
  wait_listening "$port" || log "  reference server did not start: $(cat "$WORK/$name-server.log")"
  t0=$(date +%s.%N); c0=$(cpu_ticks "$spid" 2>/dev/null || echo 0)
  "${CLIENT_CPU[@]}" "$WORK/ref/nvmetcp-shape" client 127.0.0.1 "$port" "$qd" "$bytes" "$SECONDS_PER_RUN" >"$WORK/$name.out" 2>&1 || true
  t1=$(date +%s.%N); c1=$(cpu_ticks "$spid" 2>/dev/null || echo "$c0")
  echo "$(( c1 - c0 )) $CLK_TCK $t0 $t1" >"$WORK/$name.cpu"
  kill "$spid" 2>/dev/null || true
  log "  $name: $(cat "$WORK/$name.out")"
}
run_reference ref_qd32 $((PORT + 3)) 32 4096
run_reference ref_qd16_128k $((PORT + 4)) 16 131072

# The load generator's own ceiling: the same generator runs against the C null target (scripts/reference/nvmetcp-null.c:
# answers every Read with one C2HData from a static buffer, no NVMe semantics), pinned like nvmf-target.
"${TARGET_CPU[@]}" "$WORK/ref/nvmetcp-null" $((PORT + 5)) 67108864 >"$WORK/null-target.log" 2>&1 &
NULL_PID=$!
PIDS+=("$NULL_PID")
wait_listening $((PORT + 5)) || log "  null target did not start: $(cat "$WORK/null-target.log")"
run_perf_on "$NULL_PID" $((PORT + 5)) null_qd32 -q 32 -o 4096 -w randread -t "$SECONDS_PER_RUN"
run_perf_on "$NULL_PID" $((PORT + 5)) null_qd16_128k -q 16 -o 131072 -w read -t "$SECONDS_PER_RUN"
kill "$NULL_PID" 2>/dev/null || true

python3 - "$WORK" "$JSON" "$SECONDS_PER_RUN" "$PIN" "$ZERO_COPY_MIN" <<'PY'
import json, re, sys, os
work, as_json, seconds, pinned = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3]), sys.argv[4] == "1"
zero_copy_min = int(sys.argv[5])

def perf(name):
    text = open(os.path.join(work, name + ".out")).read()
    m = re.search(r"IOPS (\S+)\s+MB/s (\S+)\s+p50 (\S+) us\s+p99 (\S+) us\s+p999 (\S+) us\s+max (\S+) us\s+"
                  r"reads (\d+) writes (\d+) errors (\d+) verify-failures (\d+) in (\S+) s(?:\s+alloc (\S+) B/IO)?", text)
    ticks, hz, t0, t1 = open(os.path.join(work, name + ".cpu")).read().split()
    cpu_s = int(ticks) / int(hz)
    wall = float(t1) - float(t0)
    if not m:
        return {"error": text.strip().splitlines()[-1] if text.strip() else "no output", "targetCpuSeconds": cpu_s}
    ios = int(m.group(7)) + int(m.group(8))
    return {
        "iops": float(m.group(1)), "megabytesPerSecond": float(m.group(2)),
        "p50Us": float(m.group(3)), "p99Us": float(m.group(4)), "p999Us": float(m.group(5)),
        "ios": ios, "errors": int(m.group(9)), "verifyFailures": int(m.group(10)),
        "initiatorAllocBytesPerIo": float(m.group(12)) if m.group(12) else None,
        "targetCpuSeconds": cpu_s, "wallSeconds": wall,
        "targetCpuPercentOfCore": 100.0 * cpu_s / wall if wall > 0 else None,
        "targetCpuUsPerIo": 1e6 * cpu_s / ios if ios else None,
    }

def sockperf():
    text = open(os.path.join(work, "sockperf.out")).read()
    p = {}
    for q in ("50.000", "99.000"):
        m = re.search(r"percentile " + re.escape(q) + r" =\s+(\S+)", text)
        p[q] = float(m.group(1)) if m else None
    return {"oneWayP50Us": p["50.000"], "oneWayP99Us": p["99.000"]}

def iperf3():
    try:
        d = json.load(open(os.path.join(work, "iperf3.json")))
        return {"gbitPerSecond": d["end"]["sum_received"]["bits_per_second"] / 1e9}
    except Exception as e:  # noqa: BLE001 - report, don't crash the table
        try:
            e = json.load(open(os.path.join(work, "iperf3.json"))).get("error", e)
        except Exception:  # noqa: BLE001
            pass
        return {"gbitPerSecond": None, "error": str(e)}

def reference(name):
    text = open(os.path.join(work, name + ".out")).read()
    m = re.search(r"requests (\d+) seconds (\S+) rps (\S+) MBps (\S+) p50_us (\S+)", text)
    ticks, hz, t0, t1 = open(os.path.join(work, name + ".cpu")).read().split()
    cpu_s = int(ticks) / int(hz)
    if not m:
        return {"error": text.strip().splitlines()[-1] if text.strip() else "no output"}
    n = int(m.group(1))
    return {"requestsPerSecond": float(m.group(3)), "megabytesPerSecond": float(m.group(4)), "p50Us": float(m.group(5)),
            "serverCpuUsPerRequest": 1e6 * cpu_s / n if n else None}

load = open("/proc/loadavg").read().split()[:3]
result = {
    "schema": "offload.perf-nvme/v1",
    "secondsPerRun": seconds, "pinned": pinned, "zeroCopyReadMinSize": zero_copy_min, "loadAverage": [float(x) for x in load], "cpus": os.cpu_count(),
    "qd1_4k_randread": perf("qd1"), "qd32_4k_randread": perf("qd32"), "qd16_128k_read": perf("seq128k"),
    "idle_4_queues_1iops": perf("idle"),
    "baselines": {"sockperf_tcp_64B": sockperf(), "iperf3_single_stream": iperf3(),
                  "c_reference_qd32_4k": reference("ref_qd32"), "c_reference_qd16_128k": reference("ref_qd16_128k"),
                  "generator_vs_null_target_qd32_4k": perf("null_qd32"),
                  "generator_vs_null_target_qd16_128k": perf("null_qd16_128k")},
    "spdkAnchor": {"qd1P50Us": 11.6, "qd1P99Us": 15.5, "qd32Iops": 605000, "qd16_128kGBps": 5.3,
                   "idleCpuPercent": 99.8, "sockperfOneWayP50Us": 7.0, "iperf3Gbps": 22.0},
}
if as_json:
    print(json.dumps(result, indent=2))
    sys.exit(0)

def f(v, fmt):
    return "—" if v is None else format(v, fmt)
q1, q32, s128, idle = (result[k] for k in ("qd1_4k_randread", "qd32_4k_randread", "qd16_128k_read", "idle_4_queues_1iops"))
sp, ip = result["baselines"]["sockperf_tcp_64B"], result["baselines"]["iperf3_single_stream"]
print(f"NVMe/TCP target over loopback — {seconds} s per run, pinned={pinned}, load average {' '.join(load)}")
print(f"{'workload':<26}{'IOPS':>10}{'MB/s':>10}{'p50 µs':>9}{'p99 µs':>9}{'tgt CPU %':>10}{'tgt µs/IO':>10}  goal")
for label, r, goal in (("4K randread QD1", q1, "p50 ≤ 1.2× SPDK (11.6 µs; normalise by sockperf)"),
                       ("4K randread QD32", q32, "≥ 300K IOPS"),
                       ("128K read QD16", s128, "≥ 4.24 GB/s (80% of 5.3)"),
                       ("idle, 4 queues, 1 IOPS", idle, "< 2% of a core")):
    if "error" in r:
        print(f"{label:<26}  ERROR: {r['error']}")
        continue
    print(f"{label:<26}{f(r['iops'], ',.0f'):>10}{f(r['megabytesPerSecond'], ',.1f'):>10}{f(r['p50Us'], '.1f'):>9}"
          f"{f(r['p99Us'], '.1f'):>9}{f(r['targetCpuPercentOfCore'], '.1f'):>10}{f(r['targetCpuUsPerIo'], '.1f'):>10}  {goal}")
print(f"baselines: sockperf TCP 64 B one-way p50 {f(sp['oneWayP50Us'], '.2f')} µs, p99 {f(sp['oneWayP99Us'], '.2f')} µs;"
      f" iperf3 single stream {f(ip['gbitPerSecond'], '.1f')} Gbit/s{' (' + ip['error'] + ')' if ip.get('error') else ''}"
      f"  (SPDK anchor machine: 7.0 µs, 22 Gbit/s)")
r32, r128 = result["baselines"]["c_reference_qd32_4k"], result["baselines"]["c_reference_qd16_128k"]
print(f"C reference (same exchange, one epoll thread each side): QD32 4 KiB {f(r32.get('requestsPerSecond'), ',.0f')} req/s"
      f" at {f(r32.get('serverCpuUsPerRequest'), '.2f')} µs server CPU/req; QD16 128 KiB {f(r128.get('megabytesPerSecond'), ',.1f')} MB/s")
n32, n128 = result["baselines"]["generator_vs_null_target_qd32_4k"], result["baselines"]["generator_vs_null_target_qd16_128k"]
print(f"load generator against the C null target (its own ceiling): QD32 4 KiB {f(n32.get('iops'), ',.0f')} IOPS"
      f" (null target {f(n32.get('targetCpuPercentOfCore'), '.1f')}% of a core); QD16 128 KiB {f(n128.get('megabytesPerSecond'), ',.1f')} MB/s"
      f" (null target {f(n128.get('targetCpuPercentOfCore'), '.1f')}%)")
if q32.get("iops") and r32.get("requestsPerSecond"):
    print(f"ratios to the C reference: QD32 IOPS {q32['iops'] / r32['requestsPerSecond']:.2f}"
          + (f", 128K MB/s {s128['megabytesPerSecond'] / r128['megabytesPerSecond']:.2f}" if s128.get("megabytesPerSecond") and r128.get("megabytesPerSecond") else ""))
if q1.get("p50Us") and sp["oneWayP50Us"]:
    ratio = q1["p50Us"] / sp["oneWayP50Us"]
    print(f"QD1 p50 / sockperf one-way p50 = {ratio:.2f} (SPDK anchor: 11.6/7.0 = 1.66; goal ≤ {1.2 * 1.66:.2f})")
errors = sum(r.get("errors", 0) + r.get("verifyFailures", 0) for r in (q1, q32, s128, idle))
sys.exit(0 if errors == 0 and all("error" not in r for r in (q1, q32, s128, idle)) else 1)
PY
