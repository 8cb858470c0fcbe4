#!/usr/bin/env bash
# A private Slurm on this machine for the Slurm launcher's integration tests.
#
#   .ci/slurm.sh start   install Slurm and munge if needed (apt), start munged, slurmctld and the
#                        slurmd of every node, wait until every node is idle, run one srun per
#                        partition; idempotent
#   .ci/slurm.sh env     print the exports the tests read (SLURM_CONF, RPC_PARALLEL_TEST_SLURM_*)
#   .ci/slurm.sh stop    cancel our jobs, stop our daemons (by pid), remove the node namespaces,
#                        their links and /etc/hosts lines, delete the directory
#
# Everything lives in one directory: RPC_PARALLEL_SLURM_DIR (default
# ${TMPDIR:-/tmp}/ci-slurm-of-rpc-parallel): the configuration, a munge key and a munged of our
# own on a socket there (never the system's munged or /etc/munge), state, spool, logs and pids.
# slurmctld and slurmd listen on free high ports; no /etc/slurm file is written: the Slurm
# commands find this cluster through SLURM_CONF (printed by `env`).
#
# One node by default: this machine (its short hostname, which slurmctld insists on, at
# 127.0.0.1), in partition rpcp, the default partition.
#
# RPC_PARALLEL_SLURM_NODES=N (1 to 9; unset: as the cluster runs, else 0) adds N nodes rpslurm-n1..N to the same cluster, in a
# partition of their own, rpcpnodes (LLN: a job goes to the least loaded node, so that jobs
# spread). Each is a slurmd in a network namespace of its own (address 10.81.0.1I on the bridge
# rpslurm-br0, which has 10.81.0.1 here) and a UTS namespace of its own (its hostname is its node
# name): a job there runs "on another host", with its own hostname, address and loopback. It
# reaches this machine through a default route to the bridge, and the other nodes on the bridge.
# The controller then is named by the bridge address (it listens on every address). The names of
# the nodes are in a marked block of /etc/hosts while they exist. The nodes share the file system
# and the process table with this machine (as a cluster shares its file system). These names and
# addresses are fixed: one such cluster per machine (.ci/sshd.sh's hosts use 10.79.0).
#
# Facts of containers without an init system: apt's scripts cannot start the daemons (a
# policy-rc.d guard makes sure they do not try); no cgroups are used (proctrack/linuxproc,
# task/none); slurmstepd outlives slurmd, so stop cancels every job first and then ends the step
# daemons that still run with our configuration. A node's slurmd enters its network namespace
# with nsenter: `ip netns exec` remounts /sys, where slurmd then finds no cgroup file system.
set -euo pipefail

DIR=${RPC_PARALLEL_SLURM_DIR:-${TMPDIR:-/tmp}/ci-slurm-of-rpc-parallel}
CONF=$DIR/slurm.conf
PARTITION=rpcp
NODES_PARTITION=rpcpnodes
export SLURM_CONF=$CONF
NODE_PREFIX=rpslurm-n
NET=10.81.0
BRIDGE=rpslurm-br0
HOSTS_BEGIN="# BEGIN rpc-parallel Slurm nodes (.ci/slurm.sh)"
HOSTS_END="# END rpc-parallel Slurm nodes (.ci/slurm.sh)"

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

node_count() { # the namespace nodes of the cluster as started, else as asked
  if [ -f "$DIR/nodes" ]; then cat "$DIR/nodes"; else echo "${RPC_PARALLEL_SLURM_NODES:-0}"; fi
}
node_names() { local i; for i in $(seq 1 "$(node_count)"); do echo "$NODE_PREFIX$i"; done; }
node_addr() { echo "$NET.$((10 + ${1#"$NODE_PREFIX"}))"; }

write_hosts_block() { # NAME...: our block of /etc/hosts names these nodes (none: no block)
  local rest name
  rest=$(awk -v b="$HOSTS_BEGIN" -v e="$HOSTS_END" '$0 == b {skip = 1} !skip {print} $0 == e {skip = 0}' /etc/hosts)
  {
    printf '%s\n' "$rest"
    if [ "$#" -gt 0 ]; then
      echo "$HOSTS_BEGIN"
      for name in "$@"; do echo "$(node_addr "$name") $name"; done
      echo "$HOSTS_END"
    fi
  } > "$DIR/hosts.new"
  cat "$DIR/hosts.new" > /etc/hosts   # in place: /etc/hosts may be a bind mount
  rm -f "$DIR/hosts.new"
}

start_nodes() { # the bridge, and per node a network namespace with a veth on the bridge
  local name i
  command -v ip >/dev/null && command -v nsenter >/dev/null && command -v unshare >/dev/null \
    || fail "namespace nodes need ip (iproute2), nsenter and unshare (util-linux)"
  ip link show "$BRIDGE" >/dev/null 2>&1 || ip link add "$BRIDGE" type bridge \
    || fail "cannot make the bridge $BRIDGE of the namespace nodes"
  ip addr replace "$NET.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  for name in $(node_names); do
    i=${name#"$NODE_PREFIX"}
    ip netns list | awk '{print $1}' | grep -qx "$name" || ip netns add "$name" \
      || fail "cannot make the network namespace $name"
    ip link show "${NODE_PREFIX}v$i" >/dev/null 2>&1 \
      || ip link add "${NODE_PREFIX}v$i" type veth peer name eth0 netns "$name"
    ip link set "${NODE_PREFIX}v$i" master "$BRIDGE" up
    ip -n "$name" addr replace "$(node_addr "$name")/24" dev eth0
    ip -n "$name" link set eth0 up
    ip -n "$name" link set lo up
    # Any address of this machine, through the bridge (delivered here: no forwarding, no NAT).
    ip -n "$name" route replace default via "$NET.1" dev eth0
  done
  # shellcheck disable=SC2046
  write_hosts_block $(node_names)
}

start_slurmd() { # NAME: the slurmd of that node (a namespace node's in its network and UTS namespaces)
  local name=$1
  alive "$DIR/slurmd.$name.pid" slurmd >/dev/null && return 0
  mkdir -p "$DIR/spool/$name"
  if [ "$name" = "$(hostname -s)" ]; then
    slurmd -f "$CONF" -N "$name"
  else
    # The UTS namespace (unshare) gives the node its hostname; slurmd, its step daemons and their
    # jobs inherit it, and it ends with the last of them.
    nsenter --net="/run/netns/$name" -- unshare --uts -- sh -c 'hostname "$1" && shift && exec "$@"' \
      sh "$name" slurmd -f "$CONF" -N "$name"
  fi || fail "slurmd of $name did not start: $(tail -3 "$DIR/slurmd.$name.log" 2>/dev/null)"
}

stop_nodes() { # what exists of the namespace nodes: processes left in them, links, namespaces, hosts lines
  local name pids i
  for name in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${NODE_PREFIX}[0-9]+\$" || true); do
    pids=$(ip netns pids "$name" 2>/dev/null || true)
    if [ -n "$pids" ]; then
      # shellcheck disable=SC2086
      kill -9 $pids 2>/dev/null || true
      for i in $(seq 50); do [ -z "$(ip netns pids "$name" 2>/dev/null)" ] && break; sleep 0.1; done
    fi
    ip link del "${NODE_PREFIX}v${name#"$NODE_PREFIX"}" 2>/dev/null || true
    ip netns del "$name" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  if grep -qxF "$HOSTS_BEGIN" /etc/hosts 2>/dev/null; then mkdir -p "$DIR" && write_hosts_block; fi
}

write_conf() { # CTLD_PORT SLURMD_PORT
  local node ctld_addr=127.0.0.1 name; node=$(hostname -s)
  [ "$(node_count)" = 0 ] || ctld_addr=$NET.1
  {
  cat <<EOF
# A cluster for rpc-parallel's tests (.ci/slurm.sh)
ClusterName=rpcp
SlurmctldHost=$node($ctld_addr)
SlurmctldPort=$1
SlurmdPort=$2
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$DIR/munge/socket
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool/%n
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.%n.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.%n.log
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
  for name in $(node_names); do
    echo "NodeName=$name NodeAddr=$(node_addr "$name") CPUs=$(nproc) RealMemory=4000 State=UNKNOWN"
  done
  [ "$(node_count)" = 0 ] || echo "PartitionName=$NODES_PARTITION Nodes=$(node_names | paste -sd, -)" \
    "MaxTime=INFINITE State=UP OverSubscribe=FORCE:8 LLN=YES"
  } > "$CONF"
}

idle() { # every node of the cluster idle
  local states; states=$(sinfo -h -N -o %T 2>/dev/null) || return 1
  [ "$(echo "$states" | grep -cx idle)" = $((1 + $(node_count))) ]
}

running() { # the controller and every slurmd
  local name
  alive "$DIR/slurmctld.pid" slurmctld >/dev/null || return 1
  for name in $(hostname -s) $(node_names); do alive "$DIR/slurmd.$name.pid" slurmd >/dev/null || return 1; done
}

start() {
  [ "$(id -u)" = 0 ] || fail "must run as root (slurmd runs jobs as root here)"
  local asked=${RPC_PARALLEL_SLURM_NODES:-$(node_count)} name i   # unset: as it runs, else none
  [[ "$asked" =~ ^[0-9]$ ]] || fail "RPC_PARALLEL_SLURM_NODES=$asked: write a number of namespace nodes, 0 to 9"
  if [ -f "$DIR/nodes" ] && [ "$(cat "$DIR/nodes")" != "$asked" ]; then
    fail "the cluster in $DIR has $(cat "$DIR/nodes") namespace nodes, not $asked: stop it first (.ci/slurm.sh stop)"
  fi
  running && return 0
  install_slurm
  # 0711: the munge user must reach its directory inside
  mkdir -p "$DIR/state" "$DIR/spool" && chmod 0711 "$DIR"
  echo "$asked" > "$DIR/nodes"
  start_munge
  [ "$asked" = 0 ] || start_nodes
  if ! alive "$DIR/slurmctld.pid" slurmctld >/dev/null; then
    local ctld_port d_port; ctld_port=$(free_port); d_port=$(free_port "$ctld_port")
    write_conf "$ctld_port" "$d_port"
    slurmctld -f "$CONF" || fail "slurmctld did not start: $(tail -3 "$DIR/slurmctld.log" 2>/dev/null)"
  fi
  for name in $(hostname -s) $(node_names); do start_slurmd "$name"; done
  for i in $(seq 300); do idle && break; sleep 0.1; done
  idle || fail "the nodes are not idle after 30 s: $(sinfo -h -N -o '%N %T %E' 2>&1 | paste -sd';' -); $(tail -q -n 2 "$DIR"/slurm*.log)"
  srun -t 1 true || fail "a test srun failed: $(tail -q -n 3 "$DIR"/slurm*.log)"
  [ "$asked" = 0 ] || srun -t 1 -p "$NODES_PARTITION" -N "$asked" true \
    || fail "a test srun on the namespace nodes failed: $(tail -q -n 3 "$DIR"/slurm*.log)"
}

env_vars() {
  alive "$DIR/slurmctld.pid" slurmctld >/dev/null || fail "Slurm for tests is not running (.ci/slurm.sh start)"
  echo "export SLURM_CONF=$CONF"
  echo "export RPC_PARALLEL_TEST_SLURM_CONF=$CONF"
  echo "export RPC_PARALLEL_TEST_SLURM_PARTITION=$PARTITION"
  if [ "$(node_count)" -gt 0 ]; then
    # A partition whose nodes are other hosts (own hostname and address), and their names.
    echo "export RPC_PARALLEL_TEST_SLURM_NODES_PARTITION=$NODES_PARTITION"
    echo "export RPC_PARALLEL_TEST_SLURM_NODES=\"$(node_names | paste -sd' ' -)\""
  fi
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
  local file
  for file in "$DIR"/slurmd.*.pid; do [ ! -e "$file" ] || stop_pid "$file" slurmd; done
  stop_pid "$DIR/slurmctld.pid" slurmctld
  # Step daemons of our cluster that outlived slurmd: they carry our SLURM_CONF.
  local pid
  for pid in $(ps -eo pid=,comm= | awk '$2 == "slurmstepd" {print $1}'); do
    { tr '\0' '\n' < "/proc/$pid/environ"; } 2>/dev/null | grep -qx "SLURM_CONF=$CONF" && kill -9 "$pid" 2>/dev/null || true
  done
  # Only a cluster with namespace nodes removes them: another directory's one-node cluster is not theirs.
  [ "$(node_count)" = 0 ] || stop_nodes
  stop_pid "$DIR/munge/pid" munged
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  env) env_vars ;;
  stop) stop ;;
  *) echo "usage: $0 start|env|stop" >&2; exit 2 ;;
esac
