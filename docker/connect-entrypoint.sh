#!/usr/bin/env bash
# Starts a distributed Kafka Connect worker with the depthstream plugin (docker/connect.Dockerfile).
#
# Without arguments, or with options only (passed on to connect-distributed.sh), the worker's settings come from
# the environment: every CONNECT_<NAME> variable sets the worker setting <name>, lower case, "_" read as ".", "__"
# as "_" (CONNECT_BOOTSTRAP_SERVERS=kafka:9092 sets bootstrap.servers; CONNECT_PRODUCER_SASL_JAAS_CONFIG sets
# producer.sasl.jaas.config). CONNECT_BOOTSTRAP_SERVERS is required; the defaults below fit one depthstream
# cluster. With a command instead (e.g. /opt/kafka/bin/connect-distributed.sh /etc/my-worker.properties, a mounted
# file), that command runs as it is.
#
# JVM options: JAVA_OPTS is appended to KAFKA_OPTS in both cases; Kafka's scripts also read KAFKA_HEAP_OPTS (default
# -Xms256M -Xmx2G) and KAFKA_JVM_PERFORMANCE_OPTS (G1 settings). KAFKA_HOME: where Kafka is (the image's /opt/kafka).
set -euo pipefail
kafka_home=${KAFKA_HOME:-/opt/kafka}
export KAFKA_OPTS="${KAFKA_OPTS:-}${JAVA_OPTS:+ $JAVA_OPTS}"

if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  exec "$@"
fi

if [ -z "${CONNECT_BOOTSTRAP_SERVERS:-}" ]; then
  echo "connect-entrypoint: CONNECT_BOOTSTRAP_SERVERS is not set (the Kafka cluster's bootstrap.servers, e.g. kafka:9092)" >&2
  exit 2
fi

declare -A settings=(
  [group.id]=depthstream-connect
  [config.storage.topic]=depthstream-connect-configs
  [offset.storage.topic]=depthstream-connect-offsets
  [status.storage.topic]=depthstream-connect-status
  # -1: the brokers' default.replication.factor
  [config.storage.replication.factor]=-1
  [offset.storage.replication.factor]=-1
  [status.storage.replication.factor]=-1
  # The depthstream wire convention: sensor ids as String keys, raw protobuf bytes as values.
  [key.converter]=org.apache.kafka.connect.storage.StringConverter
  [value.converter]=org.apache.kafka.connect.converters.ByteArrayConverter
  [offset.flush.interval.ms]=1000
  [plugin.path]=/opt/depthstream/connect-plugins
  # The connectors are listed in META-INF/services: no jar scanning at start-up.
  [plugin.discovery]=service_load
  [listeners]=http://0.0.0.0:8083
  [rest.advertised.host.name]="$(hostname)"
)
for name in $(compgen -A export CONNECT_); do
  key=${name#CONNECT_}
  key=${key,,}
  key=${key//__/@}
  key=${key//_/.}
  key=${key//@/_}
  settings[$key]=${!name}
done

config=$(mktemp "${TMPDIR:-/tmp}/connect-distributed.XXXXXX.properties")
for key in "${!settings[@]}"; do
  printf '%s=%s\n' "$key" "${settings[$key]}"
done | sort > "$config"

exec "$kafka_home/bin/connect-distributed.sh" "$config" "$@"
