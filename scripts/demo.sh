#!/usr/bin/env bash
# Local demo: build, start nic-fw and offloadd (sockets in a temp directory, so no root needed),
# show `offloadctl status` as a table and as JSON, drive NVMe/TCP reads from two tenants (offload-emu perf) and show
# `offloadctl nics`, `queues` and a few refreshes of `offloadctl watch` with them live, then stop everything cleanly.
#   ./scripts/demo.sh
# Environment: CONFIG (Release), OFFLOAD_DEMO_PORT (mailbox TCP port, 7400), OFFLOAD_DEMO_NIC_WAIT (seconds, 15),
# OFFLOAD_DEMO_NVME_PORT (NVMe/TCP target port, 7401).
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
config=${CONFIG:-Release}
port=${OFFLOAD_DEMO_PORT:-7400}
nic_wait=${OFFLOAD_DEMO_NIC_WAIT:-15}
nvme_port=${OFFLOAD_DEMO_NVME_PORT:-7401}
nqn=nqn.2026-01.io.offload:demo
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { printf '\n==> %s\n' "$*"; }

work=$(mktemp -d /tmp/offload-demo.XXXXXX)

say "Building nic-fw, offloadd and offloadctl ($config); log: $work/build.log"
for project in nic-fw/Offload.Nic host/Offload.Host host/Offload.Cli emulation/Offload.Emulation.Cli; do
    if ! dotnet build "$project" -c "$config" -nologo >>"$work/build.log" 2>&1; then
        cat "$work/build.log" >&2
        exit 1
    fi
done

bin() { echo "$root/$1/bin/$config/net10.0/$2"; }
nic_fw=$(bin nic-fw/Offload.Nic nic-fw)
offloadd=$(bin host/Offload.Host offloadd)
offloadctl=$(bin host/Offload.Cli offloadctl)
emu=$(bin emulation/Offload.Emulation.Cli offload-emu)
load_pids=()

socket="$work/offloadd.sock"
nic_pid=""
daemon_pid=""

stop() {
    local name=$1 pid=$2
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid"
    local status=0
    wait "$pid" || status=$?
    echo "$name stopped (exit $status)"
}

cleanup() {
    for pid in "${load_pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    stop offloadd "$daemon_pid"
    stop nic-fw "$nic_pid"
    rm -rf "$work"
}
trap cleanup EXIT

say "Starting nic-fw (board qemu-0, mailbox tcp 127.0.0.1:$port); log: $work/nic-fw.log"
"$nic_fw" --Nic:BoardId=qemu-0 "--Mailbox:Endpoint=tcp://127.0.0.1:$port" \
    "--Nvme:Listen=127.0.0.1:$nvme_port" "--Nvme:Subsystems:0:Nqn=$nqn" --Nvme:Subsystems:0:AllowAnyHost=true \
    --Nvme:Subsystems:0:Namespaces:0:Nsid=1 --Nvme:Subsystems:0:Namespaces:0:Size=67108864 \
    --Telemetry:Period=00:00:00.100 >"$work/nic-fw.log" 2>&1 &
nic_pid=$!

say "Starting offloadd (management socket $socket); log: $work/offloadd.log"
"$offloadd" "--Management:SocketPath=$socket" "--Mailbox:Endpoints:0=tcp://127.0.0.1:$port" >"$work/offloadd.log" 2>&1 &
daemon_pid=$!

# offloadctl exits 3 while offloadd is not up yet.
deadline=$((SECONDS + 120))
until "$offloadctl" status --socket "$socket" >/dev/null 2>&1; do
    if ! kill -0 "$daemon_pid" 2>/dev/null; then
        echo "offloadd exited early:" >&2
        cat "$work/offloadd.log" >&2
        exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
        echo "offloadd did not come up within 120s; log:" >&2
        cat "$work/offloadd.log" >&2
        exit 1
    fi
    sleep 0.2
done

say "Waiting up to ${nic_wait}s for the NIC to connect"
nic_seen=no
deadline=$((SECONDS + nic_wait))
while [ "$SECONDS" -lt "$deadline" ]; do
    if "$offloadctl" status --json --socket "$socket" 2>/dev/null | grep -q '"boardId"'; then
        nic_seen=yes
        break
    fi
    sleep 0.25
done
if [ "$nic_seen" = no ]; then
    echo "(no NIC connected within ${nic_wait}s; the status below shows offloadd alone; logs follow it)"
fi

say "offloadctl status"
"$offloadctl" status --socket "$socket"

say "offloadctl status --json"
"$offloadctl" status --json --socket "$socket"

say "Two tenants read from the NIC's NVMe/TCP target for 30 s (offload-emu perf, 2000 and 500 IOPS)"
for spec in "a:2000" "b:500"; do
    tenant=${spec%%:*} rate=${spec##*:}
    "$emu" perf --target "127.0.0.1:$nvme_port" --nqn "$nqn" --hostnqn "nqn.2026-01.io.offload:tenant-$tenant" \
        -q 4 -o 4096 -w randread -t 30 --rate "$rate" >"$work/load-$tenant.log" 2>&1 &
    load_pids+=($!)
done
deadline=$((SECONDS + 30))
until "$offloadctl" watch --json --once --socket "$socket" 2>/dev/null | grep -q '"iops":[1-9]'; do
    [ "$SECONDS" -lt "$deadline" ] || break
    sleep 0.5
done

say "offloadctl nics"
"$offloadctl" nics --socket "$socket"

say "offloadctl queues"
"$offloadctl" queues --socket "$socket"

say "offloadctl watch --count 3 (live, one refresh a second; on a terminal it redraws in place until q)"
"$offloadctl" watch --count 3 --socket "$socket"

say "Last log lines"
for log in nic-fw offloadd; do
    echo "--- $log"
    tail -n 5 "$work/$log.log"
done

say "Stopping"
