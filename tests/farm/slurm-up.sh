#!/usr/bin/env bash
# Stands up a one-node Slurm cluster for the farm tests, in a folder of its own (no systemd, no accounting).
#   slurm-up.sh <dir>   prints "SLURM_CONF=<dir>/slurm.conf" and the daemons' pids ("PIDS=munged slurmctld slurmd",
#                       munged only when this script started it); the caller stops them by pid.
# Exit 77: Slurm is not installed and apt cannot install it (the test skips with this script's message).
set -euo pipefail
dir=$(realpath "$1")
mkdir -p "$dir/state" "$dir/spool" "$dir/log"

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    echo "slurm-up: slurm-wlm/munge are not installed and apt-get is not usable here (scripts/setup.sh installs them)" >&2
    exit 77
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null 2>&1 || {
    echo "slurm-up: apt-get could not install slurm-wlm munge" >&2; exit 77; }
fi

pids=()
# munged refuses to run as root: start it as the munge user, once per machine (a running one is reused).
if ! pgrep -u munge -x munged >/dev/null; then
  install -d -o munge -g munge -m 0755 /run/munge
  [[ -f /etc/munge/munge.key ]] || { dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=128 2>/dev/null; chown munge:munge /etc/munge/munge.key; chmod 0400 /etc/munge/munge.key; }
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do [[ -S /run/munge/munge.socket.2 ]] && break; sleep 0.1; done
  pids+=("$(pgrep -u munge -x munged | head -1)")
fi

host=$(hostname -s)
# free TCP ports for the two daemons, so a second cluster (or a real one) on this machine does not clash
read -r ctl_port node_port < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
cpus=$(nproc)
cat > "$dir/slurm.conf" <<CONF
ClusterName=dflctest
SlurmctldHost=$host
SlurmctldPort=$ctl_port
SlurmdPort=$node_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
ReturnToService=2
# finished jobs stay visible to scontrol for 10 minutes (there is no accounting database to ask afterwards)
MinJobAge=600
KillWait=30
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf
slurmctld -c -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 100); do
  [[ -s $dir/slurmctld.pid && -s $dir/slurmd.pid ]] && sinfo -h -N -o '%T' 2>/dev/null | grep -qx idle && break
  sleep 0.2
done
if ! sinfo -h -N -o '%T' 2>/dev/null | grep -qx idle; then
  echo "slurm-up: the node did not become idle; logs in $dir/log" >&2
  sinfo -N >&2 || true
  tail -20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
  kill "$(cat "$dir/slurmctld.pid" 2>/dev/null)" "$(cat "$dir/slurmd.pid" 2>/dev/null)" 2>/dev/null || true
  exit 1
fi
echo "SLURM_CONF=$SLURM_CONF"
echo "PIDS=${pids[*]} $(cat "$dir/slurmctld.pid") $(cat "$dir/slurmd.pid")"
