#!/usr/bin/env bash
# A private OpenSSH server on loopback for the ssh launcher's integration tests.
#
#   .ci/sshd.sh start   install openssh-server if needed (apt), make keys, start sshd, check it
#   .ci/sshd.sh env     print the exports the tests read (RPC_PARALLEL_TEST_SSH_*)
#   .ci/sshd.sh stop    stop our sshd and the sessions it still serves, delete its directory
#
# sshd listens on 127.0.0.1 and a free high port, runs as root, accepts only the client key
# generated here, and never touches a system sshd or /etc/ssh. Everything lives in one 0700
# directory: RPC_PARALLEL_SSHD_DIR (default ${TMPDIR:-/tmp}/ci-sshd-of-rpc-parallel).
#
# With RPC_PARALLEL_SSHD_HOSTS=N (default 2 where `ip netns` works, else 0) it also makes N
# "other hosts": network namespaces rpssh-h1.. with addresses 10.79.0.11.. on a bridge
# (10.79.0.1 here), each with an sshd on port 22, reachable as Host rpssh-hI in the ssh config.
# They share this machine's files and process table; only the network differs.
set -euo pipefail

DIR=${RPC_PARALLEL_SSHD_DIR:-${TMPDIR:-/tmp}/ci-sshd-of-rpc-parallel}
ALIAS=rpc-parallel-test-sshd
NET=10.79.0
BRIDGE=rpssh-br0

fail() { echo "sshd.sh: $*" >&2; exit 1; }

running_pid() { # prints the pid of our sshd if it runs (a zombie does not count)
  local pid
  pid=$(cat "$DIR/sshd.pid" 2>/dev/null) || return 1
  [ -r "/proc/$pid/stat" ] && [ "$(awk '{print $3}' "/proc/$pid/stat")" != Z ] \
    && [ "$(cat "/proc/$pid/comm")" = sshd ] && echo "$pid"
}

install_sshd() {
  [ -x /usr/sbin/sshd ] && command -v ssh >/dev/null && return 0
  command -v apt-get >/dev/null || fail "no /usr/sbin/sshd and no apt-get to install openssh-server"
  # No init script may start a system sshd on port 22 while the package installs.
  local guard=/usr/sbin/policy-rc.d added=0
  if [ ! -e $guard ]; then printf '#!/bin/sh\nexit 101\n' > $guard; chmod +x $guard; added=1; fi
  local ok=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-server openssh-client >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 \
         && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-server openssh-client >/dev/null 2>&1; } \
    || ok=1
  [ $added = 0 ] || rm -f $guard
  [ $ok = 0 ] || fail "apt-get could not install openssh-server"
}

host_count() { # as asked, or as last started
  if [ -n "${RPC_PARALLEL_SSHD_HOSTS:-}" ]; then echo "$RPC_PARALLEL_SSHD_HOSTS"
  elif [ -f "$DIR/hosts" ]; then cat "$DIR/hosts"
  elif command -v ip >/dev/null && ip netns list >/dev/null 2>&1; then echo 2
  else echo 0; fi
}

start_hosts() { # N: namespaces on a bridge, an sshd in each
  local n=$1 i
  [ "$n" -gt 0 ] || return 0
  ip link show $BRIDGE >/dev/null 2>&1 || ip link add $BRIDGE type bridge
  ip addr replace $NET.1/24 dev $BRIDGE
  ip link set $BRIDGE up
  for i in $(seq "$n"); do
    ip netns list | grep -qw "rpssh-h$i" || ip netns add "rpssh-h$i"
    if ! ip link show "rpssh-v$i" >/dev/null 2>&1; then
      ip link add "rpssh-v$i" type veth peer name eth0 netns "rpssh-h$i"
    fi
    ip link set "rpssh-v$i" master $BRIDGE up
    ip -n "rpssh-h$i" addr replace "$NET.$((10 + i))/24" dev eth0
    ip -n "rpssh-h$i" link set eth0 up
    ip -n "rpssh-h$i" link set lo up
    echo "$NET.$((10 + i)) $(cut -d' ' -f1,2 "$DIR/host_key.pub")" >> "$DIR/known_hosts"
    printf 'Host rpssh-h%s\n  HostName %s\n  Port 22\n  User root\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n  ConnectTimeout 10\n  LogLevel ERROR\n' \
      "$i" "$NET.$((10 + i))" "$DIR/client_key" "$DIR/known_hosts" >> "$DIR/ssh_config"
    sed -e "s/^ListenAddress .*/ListenAddress $NET.$((10 + i))/" -e "s/^Port .*/Port 22/" \
      -e "s|^PidFile .*|PidFile $DIR/sshd.h$i.pid|" "$DIR/sshd_config" > "$DIR/sshd_config.h$i"
    ip netns exec "rpssh-h$i" /usr/sbin/sshd -f "$DIR/sshd_config.h$i" -E "$DIR/sshd.h$i.log" \
      || fail "sshd in rpssh-h$i did not start: $(tail -3 "$DIR/sshd.h$i.log" 2>/dev/null)"
  done
  echo "$n" > "$DIR/hosts"
}

stop_hosts() {
  local f pid i
  for f in "$DIR"/sshd.h*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sshd ] && kill "$pid" $(pgrep -P "$pid" || true) 2>/dev/null || true
  done
  # Only the namespaces this directory's start made: an instance started with HOSTS=0 beside
  # another (a second engineer's loopback sshd) must not take that one's hosts away.
  local n=0
  [ -f "$DIR/hosts" ] && n=$(cat "$DIR/hosts")
  [ "$n" -gt 0 ] || return 0
  for i in $(seq "$n"); do
    ip link del "rpssh-v$i" 2>/dev/null || true
    ip netns del "rpssh-h$i" 2>/dev/null || true
  done
  ip link del $BRIDGE 2>/dev/null || true
}

free_port() {
  local port
  for port in $(shuf -i 20000-32000 -n 50); do   # below the ephemeral ports
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  fail "no free port found on 127.0.0.1"
}

start_loopback() { # PORT: configs for it, and sshd on it (fails if the port is taken)
  local port=$1
  echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$DIR/host_key.pub")" > "$DIR/known_hosts"
  # StrictModes off: the keys may sit under /tmp, whose mode sshd would reject.
  cat > "$DIR/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $DIR/host_key
PidFile $DIR/sshd.pid
AuthorizedKeysFile $DIR/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
UseDNS no
MaxStartups 100:30:200
MaxSessions 100
EOF
  cat > "$DIR/ssh_config" <<EOF
Host $ALIAS
  HostName 127.0.0.1
  Port $port
  User root
  IdentityFile $DIR/client_key
  IdentitiesOnly yes
  UserKnownHostsFile $DIR/known_hosts
  StrictHostKeyChecking yes
  ConnectTimeout 10
  LogLevel ERROR
EOF
  /usr/sbin/sshd -f "$DIR/sshd_config" -E "$DIR/sshd.log" || return 1
  local i
  for i in $(seq 30); do running_pid >/dev/null && return 0; sleep 0.1; done
  return 1
}

start() {
  [ "$(id -u)" = 0 ] || fail "must run as root (sshd for tests logs in as root)"
  if running_pid >/dev/null; then return 0; fi
  install_sshd
  install -d -m 0755 /run/sshd          # sshd's privilege separation directory
  mkdir -p "$DIR" && chmod 0700 "$DIR"
  [ -f "$DIR/host_key" ] || ssh-keygen -q -t ed25519 -N '' -C rpc-parallel-test-host -f "$DIR/host_key"
  [ -f "$DIR/client_key" ] || ssh-keygen -q -t ed25519 -N '' -C rpc-parallel-test-client -f "$DIR/client_key"
  cp "$DIR/client_key.pub" "$DIR/authorized_keys"
  local attempt
  for attempt in 1 2 3 4 5; do
    start_loopback "$(free_port)" && break
    [ $attempt -lt 5 ] || fail "sshd did not start: $(tail -3 "$DIR/sshd.log" 2>/dev/null)"
  done
  local hosts; hosts=$(host_count)
  start_hosts "$hosts"
  local i h
  for h in $ALIAS $(seq -f 'rpssh-h%g' 1 "$hosts"); do
    for i in $(seq 101); do
      ssh -F "$DIR/ssh_config" -o BatchMode=yes "$h" true 2>/dev/null && break
      [ "$i" -le 100 ] || fail "ssh to $h failed: $(tail -3 "$DIR"/sshd*.log 2>/dev/null)"
      sleep 0.1
    done
  done
}

env_vars() {
  running_pid >/dev/null || fail "sshd for tests is not running (.ci/sshd.sh start)"
  echo "export RPC_PARALLEL_TEST_SSH_CONFIG=$DIR/ssh_config"
  echo "export RPC_PARALLEL_TEST_SSH_HOST=$ALIAS"
  echo "export RPC_PARALLEL_TEST_SSH_KNOWN_HOSTS=$DIR/known_hosts"
  echo "export RPC_PARALLEL_TEST_SSH_KEY=$DIR/client_key"
  echo "export RPC_PARALLEL_TEST_SSH_OTHER_HOSTS=\"$(seq -f 'rpssh-h%g' 1 "$(host_count)" | paste -sd' ' -)\""
}

stop() {
  local pid
  if pid=$(running_pid); then
    # The listener's sessions outlive it: end them (and what they run) too.
    local sessions; sessions=$(pgrep -P "$pid" || true)
    kill "$pid" $sessions 2>/dev/null || true
  fi
  stop_hosts
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  env) env_vars ;;
  stop) stop ;;
  *) echo "usage: $0 start|env|stop" >&2; exit 2 ;;
esac
