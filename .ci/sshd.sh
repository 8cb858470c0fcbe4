#!/usr/bin/env bash
# A private OpenSSH server on loopback for the ssh launcher's integration tests.
#
#   .ci/sshd.sh start   install openssh-server if needed (apt), make keys, start sshd, check it
#   .ci/sshd.sh env     print the exports the tests read (RPC_PARALLEL_TEST_SSH_*)
#   .ci/sshd.sh stop    stop our sshd and the sessions it still serves, delete its directory
#
# sshd listens on 127.0.0.1 and a free high port, runs as root, accepts only the client key
# generated here, and never touches a system sshd or /etc/ssh. Everything lives in one 0700
# directory: RPC_PARALLEL_SSHD_DIR (default ${TMPDIR:-/tmp}/rpc-parallel-sshd).
set -euo pipefail

DIR=${RPC_PARALLEL_SSHD_DIR:-${TMPDIR:-/tmp}/rpc-parallel-sshd}
ALIAS=rpc-parallel-test-sshd

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

free_port() {
  local port
  for port in $(shuf -i 20000-60000 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  fail "no free port found on 127.0.0.1"
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
  local port; port=$(free_port)
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
  /usr/sbin/sshd -f "$DIR/sshd_config" -E "$DIR/sshd.log" || fail "sshd did not start: $(tail -3 "$DIR/sshd.log" 2>/dev/null)"
  local i
  for i in $(seq 100); do
    ssh -F "$DIR/ssh_config" -o BatchMode=yes $ALIAS true 2>/dev/null && return 0
    sleep 0.1
  done
  fail "ssh to 127.0.0.1:$port failed: $(tail -3 "$DIR/sshd.log" 2>/dev/null)"
}

env_vars() {
  running_pid >/dev/null || fail "sshd for tests is not running (.ci/sshd.sh start)"
  echo "export RPC_PARALLEL_TEST_SSH_CONFIG=$DIR/ssh_config"
  echo "export RPC_PARALLEL_TEST_SSH_HOST=$ALIAS"
  echo "export RPC_PARALLEL_TEST_SSH_KNOWN_HOSTS=$DIR/known_hosts"
  echo "export RPC_PARALLEL_TEST_SSH_KEY=$DIR/client_key"
}

stop() {
  local pid
  if pid=$(running_pid); then
    # The listener's sessions outlive it: end them (and what they run) too.
    local sessions; sessions=$(pgrep -P "$pid" || true)
    kill "$pid" $sessions 2>/dev/null || true
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  env) env_vars ;;
  stop) stop ;;
  *) echo "usage: $0 start|env|stop" >&2; exit 2 ;;
esac
