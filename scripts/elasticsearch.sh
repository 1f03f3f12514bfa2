#!/usr/bin/env bash
# A real single-node Elasticsearch for registre's tests and demos.
#
#   scripts/elasticsearch.sh start   # prints the node's URL as its last line
#   scripts/elasticsearch.sh stop
#   scripts/elasticsearch.sh status
#
# start fetches org.elasticsearch.distribution.integ-test-zip:elasticsearch
# from Maven Central with `mvn dependency:copy` (8.19.21: the newest 8.x; 9.x
# needs Java 21 and this machine has 17), unpacks it into a cache dir, installs
# the registre-analysis plugin built from index/esplugin (the integ-test zip
# lacks analysis-common, whose elision/asciifolding/stemmer filters our index
# template uses), and starts one node on 127.0.0.1 with security disabled, a
# small heap, data in a temp dir and a free port. The node's output goes to a
# log file. A second start reuses the running node.
#
# Environment:
#   ES_VERSION        distribution version (default 8.19.21)
#   ES_LUCENE_VERSION Lucene version of that distribution (default 9.12.2)
#   REGISTRE_CACHE    where the zip and the unpacked node live (default
#                     ~/.cache/registre, /var/cache/registre for root)
#   REGISTRE_ES_STATE pid, url, log and data of the running node
#                     (default ${TMPDIR:-/tmp}/registre-es-$UID)
#   ES_HEAP           heap size (default 512m)
set -euo pipefail

ES_VERSION=${ES_VERSION:-8.19.21}
ES_LUCENE_VERSION=${ES_LUCENE_VERSION:-9.12.2}
ES_HEAP=${ES_HEAP:-512m}
if [ "$(id -u)" = 0 ]; then
	default_cache=/var/cache/registre
else
	default_cache=${XDG_CACHE_HOME:-$HOME/.cache}/registre
fi
CACHE=${REGISTRE_CACHE:-$default_cache}
STATE=${REGISTRE_ES_STATE:-${TMPDIR:-/tmp}/registre-es-$(id -u)}
ES_HOME=$CACHE/elasticsearch-$ES_VERSION
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PLUGIN_SRC=$REPO/index/esplugin
# Elasticsearch refuses to run as root; root runs the node as this system user.
ES_USER=registre-es

log() { echo "elasticsearch.sh: $*" >&2; }
die() {
	log "$*"
	exit 1
}

# running prints the URL of the node this script started, if it still answers.
running() {
	[ -f "$STATE/pid" ] && [ -f "$STATE/url" ] || return 1
	local pid url
	pid=$(cat "$STATE/pid")
	url=$(cat "$STATE/url")
	kill -0 "$pid" 2>/dev/null || return 1
	curl -fsS -m 5 "$url/_cluster/health" >/dev/null 2>&1 || return 1
	echo "$url"
}

# free_port prints a port nothing listens on (bash only: no python needed).
free_port() {
	local p i
	for i in $(seq 1 200); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	die "no free port found"
}

# unpack extracts a zip, with unzip when present, else the JDK's jar tool
# (which drops the executable bits: they are restored for bin/).
unpack() {
	local zip=$1 dest=$2
	if command -v unzip >/dev/null; then
		unzip -q "$zip" -d "$dest"
	else
		(cd "$dest" && jar xf "$zip") && chmod +x "$dest"/*/bin/*
	fi
}

fetch() {
	local zip=$CACHE/elasticsearch-$ES_VERSION.zip
	mkdir -p "$CACHE"
	if [ ! -f "$zip" ]; then
		log "fetching org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION from Maven Central"
		mvn -B -q dependency:copy \
			-Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
			-DoutputDirectory="$CACHE" >&2 || die "mvn dependency:copy of elasticsearch $ES_VERSION failed"
	fi
	if [ ! -x "$ES_HOME/bin/elasticsearch" ]; then
		log "unpacking $zip"
		local tmp
		tmp=$(mktemp -d "$CACHE/unpack.XXXXXX")
		unpack "$zip" "$tmp" || die "unpacking $zip failed"
		rm -rf "$ES_HOME"
		mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
		rm -rf "$tmp"
	fi
}

# install_plugin builds index/esplugin against this exact node version and
# (re)installs it when its zip changed since the last install.
install_plugin() {
	local build=$CACHE/esplugin-build
	mkdir -p "$build"
	log "building the registre-analysis plugin for $ES_VERSION"
	# Built from a copy so the work tree gets no target/ directory.
	rm -rf "$build/src"
	cp -r "$PLUGIN_SRC/pom.xml" "$PLUGIN_SRC/src" "$build/"
	(cd "$build" && mvn -B -q package -Des.version="$ES_VERSION" -Dlucene.version="$ES_LUCENE_VERSION" >&2) ||
		die "building index/esplugin failed (see the Maven output above)"
	local zip=$build/target/registre-analysis-$ES_VERSION.zip
	# The zip's bytes change with timestamps: compare the sources' checksum.
	local sum
	sum=$(cd "$build" && find pom.xml src -type f -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-64)
	if [ -d "$ES_HOME/plugins/registre-analysis" ] && [ "$(cat "$ES_HOME/.registre-analysis.sum" 2>/dev/null)" = "$sum" ]; then
		return
	fi
	if [ -d "$ES_HOME/plugins/registre-analysis" ]; then
		"$ES_HOME/bin/elasticsearch-plugin" remove registre-analysis >&2 || die "removing the old registre-analysis plugin failed"
	fi
	ES_JAVA_HOME=$JAVA_HOME_ES "$ES_HOME/bin/elasticsearch-plugin" install --batch "file://$zip" >&2 ||
		die "installing the registre-analysis plugin failed"
	echo "$sum" >"$ES_HOME/.registre-analysis.sum"
}

start() {
	local url
	if url=$(running); then
		log "reusing the node already running (pid $(cat "$STATE/pid"))"
		echo "$url"
		return
	fi
	command -v java >/dev/null || die "java not found: Elasticsearch $ES_VERSION needs a JDK 17+"
	command -v mvn >/dev/null || die "mvn not found: needed to fetch Elasticsearch and build its plugin"
	command -v curl >/dev/null || die "curl not found: needed to wait for the node"
	JAVA_HOME_ES=${ES_JAVA_HOME:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}}
	export ES_JAVA_HOME=$JAVA_HOME_ES
	fetch
	install_plugin

	rm -rf "$STATE"
	mkdir -p "$STATE"
	local data logs http transport
	data=$(mktemp -d "$STATE/data.XXXXXX")
	logs=$STATE/logs
	mkdir -p "$logs"
	http=$(free_port)
	transport=$(free_port)
	local -a run=()
	if [ "$(id -u)" = 0 ]; then
		id "$ES_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER" ||
			die "creating user $ES_USER failed"
		# The node writes its keystore into config/ and its data/logs into STATE.
		chown -R "$ES_USER" "$ES_HOME" "$STATE"
		run=(runuser -u "$ES_USER" --)
	fi
	log "starting Elasticsearch $ES_VERSION on 127.0.0.1:$http (log: $STATE/node.log)"
	# -d daemonizes; -p writes the PID we stop later.
	"${run[@]}" env ES_JAVA_HOME="$JAVA_HOME_ES" ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP" ES_PATH_CONF="$ES_HOME/config" \
		"$ES_HOME/bin/elasticsearch" -d -p "$STATE/pid" \
		-E cluster.name=registre-test \
		-E node.name=registre-test-node \
		-E discovery.type=single-node \
		-E network.host=127.0.0.1 \
		-E http.port="$http" \
		-E transport.port="$transport" \
		-E xpack.security.enabled=false \
		-E cluster.routing.allocation.disk.threshold_enabled=false \
		-E path.data="$data" \
		-E path.logs="$logs" \
		>"$STATE/node.log" 2>&1 || {
		tail -n 40 "$STATE/node.log" >&2
		die "Elasticsearch did not start; see $STATE/node.log and $logs"
	}
	url=http://127.0.0.1:$http
	echo "$url" >"$STATE/url"
	local i
	for i in $(seq 1 180); do
		if curl -fsS -m 5 "$url/_cluster/health?wait_for_status=green&timeout=1s" 2>/dev/null | grep -q '"status":"green"'; then
			log "node is green after ${i}s"
			echo "$url"
			return
		fi
		if [ -f "$STATE/pid" ] && ! kill -0 "$(cat "$STATE/pid")" 2>/dev/null; then
			tail -n 40 "$logs/registre-test.log" >&2 2>/dev/null || true
			die "Elasticsearch exited during start; see $logs/registre-test.log"
		fi
		sleep 1
	done
	die "Elasticsearch was not green after 180s; see $logs/registre-test.log"
}

stop() {
	if [ ! -f "$STATE/pid" ]; then
		log "no node running"
		return
	fi
	local pid
	pid=$(cat "$STATE/pid")
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid"
		local i
		for i in $(seq 1 60); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 1
		done
		if kill -0 "$pid" 2>/dev/null; then
			log "node $pid did not stop in 60s; killing it"
			kill -9 "$pid" 2>/dev/null || true
		fi
	fi
	rm -rf "$STATE"
	log "stopped node $pid"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) running || die "not running" ;;
*)
	echo "usage: $0 start|stop|status" >&2
	exit 2
	;;
esac
