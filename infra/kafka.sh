#!/usr/bin/env bash
# A real Apache Kafka broker (KRaft, single node, loopback) for machines without a Docker engine.
#
#   infra/kafka.sh start    fetch (first time only), format (first time only), start, wait until it answers
#   infra/kafka.sh stop     stop it cleanly (SIGTERM, then SIGKILL after 30 s)
#   infra/kafka.sh status   exit 0 when our broker is running and answers
#   infra/kafka.sh fetch    only download the broker's jars from Maven Central into the cache
#
# The jars come from Maven Central (org.apache.kafka:kafka_2.13 and its runtime dependencies), resolved by
# Maven into a cache outside the repository, so a second start never downloads again.
#
# Settings (environment):
#   KAFKA_VERSION      broker version                     (default 4.3.1)
#   KAFKA_PORT         client listener on 127.0.0.1        (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller listener       (default KAFKA_PORT + 1)
#   WARNLINE_CACHE     cache for jars and broker data      (default ~/.cache/warnline)
#   KAFKA_START_TIMEOUT seconds to wait for the broker     (default 90)
set -euo pipefail

KAFKA_VERSION="${KAFKA_VERSION:-4.3.1}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
CACHE="${WARNLINE_CACHE:-$HOME/.cache/warnline}"
TIMEOUT="${KAFKA_START_TIMEOUT:-90}"

HOME_DIR="$CACHE/kafka-$KAFKA_VERSION"
LIBS="$HOME_DIR/libs"
RUN_DIR="$CACHE/kafka-run-$KAFKA_PORT"
DATA_DIR="$RUN_DIR/data"
PID_FILE="$RUN_DIR/broker.pid"
LOG_FILE="$RUN_DIR/broker.log"
PROPS="$RUN_DIR/server.properties"

say() { printf '[kafka] %s\n' "$*" >&2; }
die() { printf '[kafka] ERROR: %s\n' "$*" >&2; exit 1; }

need() {
  command -v java >/dev/null 2>&1 || die "java not found: install a JDK 17+ (apt-get install openjdk-17-jre-headless)"
  command -v mvn >/dev/null 2>&1 || [ -f "$LIBS/.complete" ] || die "mvn not found: install Maven (apt-get install maven) to fetch the broker from Maven Central"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid; pid=$(cat "$PID_FILE")
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

fetch() {
  need
  if [ -f "$LIBS/.complete" ]; then return 0; fi
  say "fetching Apache Kafka $KAFKA_VERSION from Maven Central into $LIBS (first start only)"
  local work; work=$(mktemp -d)
  cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>warnline</groupId><artifactId>kafka-broker-fetch</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.17</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId><version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.24.3</version></dependency>
  </dependencies>
</project>
POM
  rm -rf "$LIBS.tmp"; mkdir -p "$LIBS.tmp"
  if ! (cd "$work" && mvn -B -q dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIBS.tmp" >"$work/mvn.log" 2>&1); then
    tail -n 30 "$work/mvn.log" >&2
    die "Maven could not fetch org.apache.kafka:kafka_2.13:$KAFKA_VERSION (is Maven Central reachable?)"
  fi
  rm -rf "$LIBS"; mv "$LIBS.tmp" "$LIBS"; touch "$LIBS/.complete"; rm -rf "$work"
  say "fetched $(ls "$LIBS" | wc -l) jars"
}

write_config() {
  mkdir -p "$RUN_DIR"
  cat >"$PROPS" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA_DIR
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
min.insync.replicas=1
# Topics are created explicitly by the services and tests, so a typo is an error, not a new topic.
auto.create.topics.enable=false
# A test's consumer group should not wait 3 s for more members before its first assignment.
group.initial.rebalance.delay.ms=0
delete.topic.enable=true
log.retention.hours=168
PROPS
  cat >"$RUN_DIR/log4j2.properties" <<L4J
status = error
appender.file.type = File
appender.file.name = file
appender.file.fileName = $LOG_FILE
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.state.name = state.change.logger
logger.state.level = WARN
logger.controller.name = org.apache.kafka.controller
logger.controller.level = WARN
L4J
}

java_cmd() {
  java -Xms256m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$RUN_DIR/log4j2.properties" \
    -cp "$LIBS/*" "$@"
}

start() {
  need
  local pid
  if pid=$(running_pid); then
    if port_open "$KAFKA_PORT"; then say "already running (pid $pid) on 127.0.0.1:$KAFKA_PORT, version $KAFKA_VERSION"; return 0; fi
  fi
  if port_open "$KAFKA_PORT"; then
    die "port $KAFKA_PORT is taken by another process: stop it, or set KAFKA_PORT, or point KAFKA_BROKERS at that broker"
  fi
  if port_open "$KAFKA_CONTROLLER_PORT"; then
    die "controller port $KAFKA_CONTROLLER_PORT is taken: set KAFKA_CONTROLLER_PORT"
  fi
  fetch
  write_config
  if [ ! -f "$DATA_DIR/meta.properties" ]; then
    local cluster_id
    cluster_id=$(java_cmd kafka.tools.StorageTool random-uuid 2>>"$RUN_DIR/format.log" | tail -n 1)
    java_cmd kafka.tools.StorageTool format -t "$cluster_id" -c "$PROPS" >>"$RUN_DIR/format.log" 2>&1 \
      || { tail -n 20 "$RUN_DIR/format.log" >&2; die "formatting the broker storage failed"; }
  fi
  : >"$LOG_FILE"
  local started; started=$(date +%s)
  nohup java -Xms256m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$RUN_DIR/log4j2.properties" \
    -cp "$LIBS/*" kafka.Kafka "$PROPS" >"$RUN_DIR/stdout.log" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  pid=$!
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$LOG_FILE" "$RUN_DIR/stdout.log" >&2
      die "broker exited during start (log: $LOG_FILE)"
    fi
    if port_open "$KAFKA_PORT" && grep -q "Kafka Server started" "$LOG_FILE" 2>/dev/null; then break; fi
    if [ $(( $(date +%s) - started )) -ge "$TIMEOUT" ]; then
      tail -n 30 "$LOG_FILE" "$RUN_DIR/stdout.log" >&2
      kill "$pid" 2>/dev/null || true
      die "broker did not start within ${TIMEOUT}s (log: $LOG_FILE)"
    fi
    sleep 0.5
  done
  say "Apache Kafka $KAFKA_VERSION (KRaft) started on 127.0.0.1:$KAFKA_PORT in $(( $(date +%s) - started ))s, pid $pid"
}

stop() {
  local pid
  if ! pid=$(running_pid); then say "not running"; rm -f "$PID_FILE"; return 0; fi
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then say "did not stop in 30 s, killing"; kill -9 "$pid" 2>/dev/null || true; fi
  rm -f "$PID_FILE"
  say "stopped"
}

status() {
  local pid
  if pid=$(running_pid) && port_open "$KAFKA_PORT"; then echo "running pid=$pid port=$KAFKA_PORT version=$KAFKA_VERSION"; return 0; fi
  echo "not running"; return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  fetch) fetch ;;
  version) echo "$KAFKA_VERSION" ;;
  *) echo "usage: $0 start|stop|status|fetch|version" >&2; exit 2 ;;
esac
