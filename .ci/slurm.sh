#!/usr/bin/env bash
# A private one-node Slurm on this machine for the Slurm launcher's integration tests.
#
#   .ci/slurm.sh start   install Slurm and munge if needed (apt), start munged, slurmctld and
#                        slurmd, wait until the node is idle, run one srun; idempotent
#   .ci/slurm.sh env     print the exports the tests read (SLURM_CONF, RPC_PARALLEL_TEST_SLURM_*)
#   .ci/slurm.sh stop    cancel our jobs, stop our daemons (by pid), delete the directory
#
# Everything lives in one directory: RPC_PARALLEL_SLURM_DIR (default
# ${TMPDIR:-/tmp}/ci-slurm-of-rpc-parallel): the configuration, a munge key and a munged of our
# own on a socket there (never the system's munged or /etc/munge), state, spool, logs and pids.
# slurmctld and slurmd listen on free high ports of 127.0.0.1; the node is this machine (its
# short hostname, which slurmctld insists on). No /etc/slurm file is written: the Slurm commands
# find this cluster through SLURM_CONF (printed by `env`).
#
# Facts of containers without an init system: apt's scripts cannot start the daemons (a
# policy-rc.d guard makes sure they do not try); no cgroups are used (proctrack/linuxproc,
# task/none); slurmstepd outlives slurmd, so stop cancels every job first and then ends the step
# daemons that still run with our configuration.
set -euo pipefail

DIR=${RPC_PARALLEL_SLURM_DIR:-${TMPDIR:-/tmp}/ci-slurm-of-rpc-parallel}
CONF=$DIR/slurm.conf
PARTITION=rpcp
export SLURM_CONF=$CONF

fail() { echo "slurm.sh: $*" >&2; exit 1; }

alive() { # PIDFILE COMM: prints the pid if that process runs (a zombie does not count)
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -r "/proc/$pid/stat" ] && [ "$(awk '{print $3}' "/proc/$pid/stat")" != Z ] \
    && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] && echo "$pid"
}

stop_pid() { # PIDFILE COMM: TERM, up to 5 s, then KILL
  local pid i
  pid=$(alive "$1" "$2") || { rm -f "$1"; return 0; }
  kill "$pid" 2>/dev/null || true
  for i in $(seq 50); do alive "$1" "$2" >/dev/null || break; sleep 0.1; done
  ! alive "$1" "$2" >/dev/null || kill -9 "$pid" 2>/dev/null || true
  rm -f "$1"
}

install_slurm() {
  command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v srun >/dev/null \
    && command -v munged >/dev/null && return 0
  command -v apt-get >/dev/null || fail "no Slurm installed and no apt-get to install slurmctld, slurmd, slurm-client, munge"
  # No init script may start a system munged or Slurm daemon while the packages install.
  local guard=/usr/sbin/policy-rc.d added=0 ok=0 packages="slurmctld slurmd slurm-client munge"
  if [ ! -e $guard ]; then printf '#!/bin/sh\nexit 101\n' > $guard; chmod +x $guard; added=1; fi
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 \
         && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null 2>&1; } \
    || ok=1
  [ $added = 0 ] || rm -f $guard
  [ $ok = 0 ] || fail "apt-get could not install $packages"
}

free_port() { # a port nobody listens on, below the ephemeral range, not in $1
  local port
  for port in $(shuf -i 20000-32000 -n 50); do
    [ "$port" != "${1:-}" ] || continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  fail "no free port found on 127.0.0.1"
}

munge_ok() { munge -S "$DIR/munge/socket" -n 2>/dev/null | unmunge -S "$DIR/munge/socket" >/dev/null 2>&1; }

start_munge() { # our own munged, key and socket in $DIR/munge (owned by the munge user)
  alive "$DIR/munge/pid" munged >/dev/null && munge_ok && return 0
  install -d -o munge -g munge -m 0711 "$DIR/munge"   # munged: clients must reach its socket
  if [ ! -s "$DIR/munge/key" ]; then
    dd if=/dev/urandom of="$DIR/munge/key" bs=1024 count=1 2>/dev/null
    chown munge:munge "$DIR/munge/key" && chmod 0400 "$DIR/munge/key"
  fi
  runuser -u munge -- munged --socket="$DIR/munge/socket" --key-file="$DIR/munge/key" \
    --pid-file="$DIR/munge/pid" --log-file="$DIR/munge/log" --seed-file="$DIR/munge/seed" \
    || fail "munged did not start: $(tail -3 "$DIR/munge/log" 2>/dev/null)"
  local i
  for i in $(seq 50); do munge_ok && return 0; sleep 0.1; done
  fail "munged does not answer on $DIR/munge/socket: $(tail -3 "$DIR/munge/log" 2>/dev/null)"
}

write_conf() { # CTLD_PORT SLURMD_PORT
  local node; node=$(hostname -s)
  cat > "$CONF" <<EOF
# A one-node cluster for rpc-parallel's tests (.ci/slurm.sh)
ClusterName=rpcp
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$1
SlurmdPort=$2
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$DIR/munge/socket
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
InactiveLimit=0
KillWait=2
MinJobAge=300
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=4000 State=UNKNOWN
PartitionName=$PARTITION Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:8
EOF
}

idle() { [ "$(sinfo -h -N -o %T 2>/dev/null)" = idle ]; }

start() {
  [ "$(id -u)" = 0 ] || fail "must run as root (slurmd runs jobs as root here)"
  if alive "$DIR/slurmctld.pid" slurmctld >/dev/null && alive "$DIR/slurmd.pid" slurmd >/dev/null; then
    return 0
  fi
  install_slurm
  # 0711: the munge user must reach its directory inside
  mkdir -p "$DIR/state" "$DIR/spool" && chmod 0711 "$DIR"
  start_munge
  local ctld_port d_port; ctld_port=$(free_port); d_port=$(free_port "$ctld_port")
  write_conf "$ctld_port" "$d_port"
  slurmctld -f "$CONF" || fail "slurmctld did not start: $(tail -3 "$DIR/slurmctld.log" 2>/dev/null)"
  slurmd -f "$CONF" -N "$(hostname -s)" || fail "slurmd did not start: $(tail -3 "$DIR/slurmd.log" 2>/dev/null)"
  local i
  for i in $(seq 300); do idle && break; sleep 0.1; done
  idle || fail "the node is not idle after 30 s: $(sinfo -h -N -o '%T %E' 2>&1); $(tail -2 "$DIR"/slurm*.log)"
  srun -t 1 true || fail "a test srun failed: $(tail -3 "$DIR"/slurm*.log)"
}

env_vars() {
  alive "$DIR/slurmctld.pid" slurmctld >/dev/null || fail "Slurm for tests is not running (.ci/slurm.sh start)"
  echo "export SLURM_CONF=$CONF"
  echo "export RPC_PARALLEL_TEST_SLURM_CONF=$CONF"
  echo "export RPC_PARALLEL_TEST_SLURM_PARTITION=$PARTITION"
}

stop() {
  if alive "$DIR/slurmctld.pid" slurmctld >/dev/null; then
    local jobs i
    jobs=$(squeue -h -o %i 2>/dev/null || true)
    if [ -n "$jobs" ]; then
      # shellcheck disable=SC2086
      scancel $jobs 2>/dev/null || true
      for i in $(seq 100); do [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.1; done
    fi
  fi
  stop_pid "$DIR/slurmd.pid" slurmd
  stop_pid "$DIR/slurmctld.pid" slurmctld
  # Step daemons of our cluster that outlived slurmd: they carry our SLURM_CONF.
  local pid
  for pid in $(ps -eo pid=,comm= | awk '$2 == "slurmstepd" {print $1}'); do
    { tr '\0' '\n' < "/proc/$pid/environ"; } 2>/dev/null | grep -qx "SLURM_CONF=$CONF" && kill -9 "$pid" 2>/dev/null || true
  done
  stop_pid "$DIR/munge/pid" munged
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  env) env_vars ;;
  stop) stop ;;
  *) echo "usage: $0 start|env|stop" >&2; exit 2 ;;
esac
