#!/usr/bin/env bash
# A 3-broker Kafka cluster (KRaft) and a Redis Cluster (3 primaries, 3 replicas) on loopback ports, for the
# fault tests, the soak benchmark and `scripts/start.sh --cluster`. Real engines, several processes, one machine.
#
#   infra/cluster.sh start             start every node that is not running (format / create on first start)
#   infra/cluster.sh stop              stop every node cleanly
#   infra/cluster.sh reset             stop, then delete the cluster's data (the next start is a fresh cluster)
#   infra/cluster.sh status            one line per node; exit 0 when all nine answer
#   infra/cluster.sh env               KAFKA_BROKERS=… and REDIS_CLUSTER_NODES=… for the services
#   infra/cluster.sh kafka-node N      start Kafka node N (1–3) when it is not running, wait until it serves
#   infra/cluster.sh redis-node PORT   start the Redis node on PORT when it is not running (rejoins the cluster)
#
# Kafka: three combined nodes (process.roles=broker,controller), so any one may die and the other two keep a
# controller quorum and an in-sync set: replication factor 3, min.insync.replicas 2, producers use acks=all.
# Redis: cluster mode, AOF on with appendfsync everysec, replicas promoted by the cluster itself. A replica may
# be promoted however long it was cut off (cluster-replica-validity-factor 0): what it lacks was never committed
# by the accumulator, which waits for a replica's acknowledgement (WAIT) before it commits a batch's offsets.
#
# Settings (environment):
#   CLUSTER_KAFKA_PORT     client port of node 1; nodes 2 and 3 take the next two   (default 19090)
#   CLUSTER_CONTROLLER_PORT  KRaft controller port of node 1; likewise              (default 19190)
#   CLUSTER_REDIS_PORT     port of the first Redis node; six in a row               (default 19300)
#   CLUSTER_REDIS_BUS_PORT cluster bus port of the first Redis node; six in a row   (default 19310)
#   WARNLINE_CACHE         cache for jars and the cluster's data                    (default ~/.cache/warnline)
#   KAFKA_VERSION, KAFKA_START_TIMEOUT as for infra/kafka.sh (the jars are shared with it).
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KAFKA_VERSION="${KAFKA_VERSION:-4.3.1}"
KAFKA_BASE="${CLUSTER_KAFKA_PORT:-19090}"
CONTROLLER_BASE="${CLUSTER_CONTROLLER_PORT:-19190}"
REDIS_BASE="${CLUSTER_REDIS_PORT:-19300}"
BUS_BASE="${CLUSTER_REDIS_BUS_PORT:-19310}"
CACHE="${WARNLINE_CACHE:-$HOME/.cache/warnline}"
TIMEOUT="${KAFKA_START_TIMEOUT:-300}"
LIBS="$CACHE/kafka-$KAFKA_VERSION/libs"
RUN_DIR="$CACHE/cluster-$KAFKA_BASE-$REDIS_BASE"
KAFKA_NODES=(1 2 3)
REDIS_PORTS=()
for i in 0 1 2 3 4 5; do REDIS_PORTS+=($((REDIS_BASE + i))); done

say() { printf '[cluster] %s\n' "$*" >&2; }
die() { printf '[cluster] ERROR: %s\n' "$*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

kafka_port() { echo $((KAFKA_BASE + $1 - 1)); }
controller_port() { echo $((CONTROLLER_BASE + $1 - 1)); }
kafka_dir() { echo "$RUN_DIR/kafka-$1"; }
redis_dir() { echo "$RUN_DIR/redis-$1"; }

voters() {
  local out="" n
  for n in "${KAFKA_NODES[@]}"; do out+="${out:+,}$n@127.0.0.1:$(controller_port "$n")"; done
  echo "$out"
}

write_kafka_config() {
  local n=$1 dir; dir=$(kafka_dir "$n")
  mkdir -p "$dir"
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$(voters)
listeners=PLAINTEXT://127.0.0.1:$(kafka_port "$n"),CONTROLLER://127.0.0.1:$(controller_port "$n")
advertised.listeners=PLAINTEXT://127.0.0.1:$(kafka_port "$n")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
# A replica that was not in sync never becomes leader: committed records are never lost to an election.
unclean.leader.election.enable=false
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
delete.topic.enable=true
# A restarted broker takes its partitions back, so leadership spreads again after a fault.
auto.leader.rebalance.enable=true
leader.imbalance.check.interval.seconds=30
PROPS
  cat >"$dir/log4j2.properties" <<L4J
status = error
appender.file.type = File
appender.file.name = file
appender.file.fileName = $dir/broker.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
logger.state.name = state.change.logger
logger.state.level = WARN
logger.controller.name = org.apache.kafka.controller
logger.controller.level = WARN
L4J
}

kafka_java() {
  local dir=$1; shift
  java -Xms192m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$dir/log4j2.properties" -cp "$LIBS/*" "$@"
}

cluster_id() {
  if [ ! -f "$RUN_DIR/kafka-cluster-id" ]; then
    mkdir -p "$RUN_DIR"
    kafka_java "$RUN_DIR" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1 >"$RUN_DIR/kafka-cluster-id"
  fi
  cat "$RUN_DIR/kafka-cluster-id"
}

# Starts node N without waiting; kafka_wait waits for it.
kafka_launch() {
  local n=$1 dir pid_file; dir=$(kafka_dir "$n"); pid_file="$dir/broker.pid"
  if alive "$pid_file"; then return 0; fi
  port_open "$(kafka_port "$n")" && die "port $(kafka_port "$n") is taken by another process"
  write_kafka_config "$n"
  if [ ! -f "$dir/data/meta.properties" ]; then
    kafka_java "$dir" kafka.tools.StorageTool format -t "$(cluster_id)" -c "$dir/server.properties" \
      >>"$dir/format.log" 2>&1 || { tail -n 20 "$dir/format.log" >&2; die "formatting Kafka node $n failed"; }
  fi
  : >"$dir/broker.log"
  nohup java -Xms192m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$dir/log4j2.properties" -cp "$LIBS/*" kafka.Kafka "$dir/server.properties" \
    >"$dir/stdout.log" 2>&1 </dev/null &
  echo $! >"$pid_file"
}

kafka_wait() {
  local n=$1 dir started; dir=$(kafka_dir "$n"); started=$(date +%s)
  until port_open "$(kafka_port "$n")" && grep -q "Kafka Server started" "$dir/broker.log" 2>/dev/null; do
    alive "$dir/broker.pid" || { tail -n 30 "$dir/broker.log" "$dir/stdout.log" >&2; die "Kafka node $n exited during start"; }
    [ $(($(date +%s) - started)) -lt "$TIMEOUT" ] || die "Kafka node $n did not start within ${TIMEOUT}s ($dir/broker.log)"
    sleep 0.5
  done
  say "Kafka node $n serves 127.0.0.1:$(kafka_port "$n") (pid $(cat "$dir/broker.pid"))"
}

redis_launch() {
  local port=$1 dir; dir=$(redis_dir "$port")
  if alive "$dir/redis.pid"; then return 0; fi
  port_open "$port" && die "port $port is taken by another process"
  mkdir -p "$dir"
  # redis-server writes its own pid file; --daemonize keeps it running after this script exits.
  redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes --cluster-port $((BUS_BASE + port - REDIS_BASE)) \
    --cluster-config-file nodes.conf --cluster-node-timeout 3000 --dir "$dir" \
    --cluster-replica-validity-factor 0 \
    --appendonly yes --appendfsync everysec --save '' --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
  local i
  for i in $(seq 1 100); do port_open "$port" && return 0; sleep 0.1; done
  die "Redis node $port did not start ($dir/redis.log)"
}

redis_cluster_ok() {
  [ "$(redis-cli -p "$REDIS_BASE" cluster info 2>/dev/null | tr -d '\r' | grep -c '^cluster_state:ok$')" = 1 ]
}

redis_create_cluster() {
  if [ -f "$RUN_DIR/redis-created" ]; then return 0; fi
  local nodes=() port
  for port in "${REDIS_PORTS[@]}"; do nodes+=("127.0.0.1:$port"); done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$RUN_DIR/redis-create.log" 2>&1 \
    || { cat "$RUN_DIR/redis-create.log" >&2; die "redis-cli --cluster create failed"; }
  touch "$RUN_DIR/redis-created"
}

redis_wait_ok() {
  local i
  for i in $(seq 1 300); do redis_cluster_ok && return 0; sleep 0.2; done
  die "the Redis Cluster did not reach cluster_state:ok"
}

start() {
  command -v redis-server >/dev/null || die "redis-server not found (apt-get install redis-server)"
  [ -f "$LIBS/.complete" ] || KAFKA_VERSION="$KAFKA_VERSION" bash "$INFRA_DIR/kafka.sh" fetch
  mkdir -p "$RUN_DIR"
  local n port
  for port in "${REDIS_PORTS[@]}"; do redis_launch "$port"; done
  redis_create_cluster
  redis_wait_ok
  say "Redis Cluster ok on 127.0.0.1:${REDIS_PORTS[0]}-${REDIS_PORTS[5]} (3 primaries, 3 replicas, AOF everysec)"
  # The three nodes start together: each waits for a controller quorum, which needs two of them.
  for n in "${KAFKA_NODES[@]}"; do kafka_launch "$n"; done
  for n in "${KAFKA_NODES[@]}"; do kafka_wait "$n"; done
}

stop_pid() {
  local pid_file=$1 pid
  alive "$pid_file" || { rm -f "$pid_file"; return 0; }
  pid=$(cat "$pid_file"); kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  rm -f "$pid_file"
}

stop() {
  local n port
  # The brokers stop together: one by one, the last would wait out its shutdown timeout for a controller
  # quorum that the first two took with them.
  for n in "${KAFKA_NODES[@]}"; do stop_pid "$(kafka_dir "$n")/broker.pid" & done
  wait
  for port in "${REDIS_PORTS[@]}"; do stop_pid "$(redis_dir "$port")/redis.pid"; done
  say "stopped"
}

status() {
  local ok=0 n port
  for n in "${KAFKA_NODES[@]}"; do
    if alive "$(kafka_dir "$n")/broker.pid" && port_open "$(kafka_port "$n")"; then echo "kafka-$n up 127.0.0.1:$(kafka_port "$n")"
    else echo "kafka-$n down"; ok=1; fi
  done
  for port in "${REDIS_PORTS[@]}"; do
    local role
    role=$(redis-cli -p "$port" role 2>/dev/null | head -n 1 || true)
    if [ -n "$role" ]; then echo "redis-$port up $role"; else echo "redis-$port down"; ok=1; fi
  done
  redis_cluster_ok || { echo "redis cluster_state not ok"; ok=1; }
  return $ok
}

env_lines() {
  local k="" r="" n port
  for n in "${KAFKA_NODES[@]}"; do k+="${k:+,}127.0.0.1:$(kafka_port "$n")"; done
  for port in "${REDIS_PORTS[@]}"; do r+="${r:+,}127.0.0.1:$port"; done
  echo "KAFKA_BROKERS=$k"
  echo "REDIS_CLUSTER_NODES=$r"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  reset) stop; rm -rf "$RUN_DIR"; say "data deleted" ;;
  status) status ;;
  env) env_lines ;;
  kafka-node) kafka_launch "${2:?node 1-3}"; kafka_wait "$2" ;;
  redis-node) redis_launch "${2:?port}" ;;
  run-dir) echo "$RUN_DIR" ;;
  *) echo "usage: $0 start|stop|reset|status|env|kafka-node N|redis-node PORT|run-dir" >&2; exit 2 ;;
esac
