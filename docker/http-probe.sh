#!/usr/bin/env bash
# http-probe PORT PATH: exits 0 when http://127.0.0.1:PORT/PATH answers 2xx, 1 otherwise (printing the status line
# or the failure). The images' HEALTHCHECK: bash's /dev/tcp, because the JRE and Kafka images carry no curl.
set -u
if [ $# -ne 2 ]; then
  echo "usage: http-probe PORT PATH" >&2
  exit 2
fi
port=$1
path=$2
if ! exec 3<>"/dev/tcp/127.0.0.1/$port"; then
  echo "nothing listens on port $port" >&2
  exit 1
fi
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
if ! IFS= read -r -t 5 status <&3; then
  echo "no answer from port $port within 5 s" >&2
  exit 1
fi
exec 3<&-
status=${status%$'\r'}
case $status in
  "HTTP/1."?" 2"*) exit 0 ;;
  *) echo "GET $path: $status" >&2; exit 1 ;;
esac
