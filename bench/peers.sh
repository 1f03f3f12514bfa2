#!/usr/bin/env bash
# bench/peers.sh — time registre's pipeline against the tools people use
# today, on the same PDF files, in the same run:
#   - registre bench run --stage pipeline (read + extract + normalize + flag)
#   - poppler's pdftotext -layout (text only)
#   - Apache Tika (tika-app from Maven Central, batch mode: one warm JVM
#     for all files; its JVM start-up is measured on a tiny batch and
#     reported apart)
#   - pdfplumber (PyPI, in a venv created inside the cache dir)
# Every tool gets the same number of parallel workers (default: nproc).
#
# Usage: bench/peers.sh DIR [WORKERS]
#   DIR      folder of files (e.g. from "registre bench gen"); only its PDFs
#            are used
#   WORKERS  parallel workers for every tool (default: nproc)
# Environment:
#   REGISTRE       registre binary (default: go build into the cache dir)
#   TIKA_VERSION   tika-app version from Maven Central (default 3.2.2)
#   BENCH_CACHE    where the jar, the venv and the binary go
#                  (default ~/.cache/registre-bench)
# Needs: poppler-utils, a JDK + Maven, python3-venv, network access to Maven
# Central and PyPI on the first run.
set -euo pipefail

DIR=${1:?usage: bench/peers.sh DIR [WORKERS]}
WORKERS=${2:-$(nproc)}
TIKA_VERSION=${TIKA_VERSION:-3.2.2}
CACHE=${BENCH_CACHE:-$HOME/.cache/registre-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$CACHE"

log() { printf '%s\n' "$*" >&2; }

# The PDFs, hard-linked into one flat folder so every tool sees exactly them.
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/pdf" "$WORK/tika-out" "$WORK/warm/in" "$WORK/warm/out"
i=0
while IFS= read -r -d '' f; do
	i=$((i + 1))
	ln "$f" "$WORK/pdf/$(printf '%07d' "$i").pdf" 2>/dev/null || cp "$f" "$WORK/pdf/$(printf '%07d' "$i").pdf"
done < <(find "$DIR" -type f -name '*.pdf' -print0 | sort -z)
N=$i
[ "$N" -gt 0 ] || { log "no PDF under $DIR"; exit 2; }
PAGES=0
for f in "$WORK"/pdf/*.pdf; do
	p=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
	PAGES=$((PAGES + ${p:-0}))
done
log "peers: $N PDFs, $PAGES pages, $WORKERS workers"

# Tools.
REGISTRE=${REGISTRE:-}
if [ -z "$REGISTRE" ]; then
	REGISTRE="$CACHE/registre"
	(cd "$ROOT" && go build -o "$REGISTRE" ./cmd/registre)
fi
JAR="$CACHE/tika-app-$TIKA_VERSION.jar"
if [ ! -f "$JAR" ]; then
	log "fetching tika-app $TIKA_VERSION from Maven Central"
	mvn -q dependency:copy -Dartifact="org.apache.tika:tika-app:$TIKA_VERSION" -DoutputDirectory="$CACHE" >&2
fi
VENV="$CACHE/venv"
if [ ! -x "$VENV/bin/python" ]; then
	log "creating the pdfplumber venv"
	python3 -m venv "$VENV"
	"$VENV/bin/pip" install -q pdfplumber >&2
fi
PLUMBER_VERSION=$("$VENV/bin/python" -c 'import pdfplumber; print(pdfplumber.__version__)')

# timed NAME CMD...: runs CMD, sets T_NAME (wall seconds) and C_NAME (CPU
# seconds, user + system, children included). On a shared machine the CPU
# time is the steadier measure.
timed() {
	local name=$1
	shift
	/usr/bin/time -f '%e %U %S' -o "$WORK/time.$name" "$@"
	read -r wall user sys <"$WORK/time.$name"
	printf -v "T_$name" '%s' "$wall"
	printf -v "C_$name" '%s' "$(echo "$user + $sys" | bc -l)"
}

# 1. registre: the whole pipeline (its own parallel stream).
timed REG sh -c '"$1" bench run --stage pipeline --workers "$2" "$3" >"$4"' _ "$REGISTRE" "$WORKERS" "$WORK/pdf" "$WORK/registre.out"
log "registre: $(grep '^pipeline' "$WORK/registre.out")"

# 2. pdftotext -layout, one process per file, WORKERS at a time.
timed POP sh -c 'find "$1" -name "*.pdf" -print0 | xargs -0 -P "$2" -I{} pdftotext -layout -enc UTF-8 {} /dev/null' _ "$WORK/pdf" "$WORKERS"

# 3. Tika batch: one JVM, WORKERS consumer threads. The JVM start-up is
# timed on a one-file batch and reported apart.
cp "$WORK/pdf/0000001.pdf" "$WORK/warm/in/"
timed TSTART sh -c 'java -jar "$1" -t -numConsumers 1 -i "$2" -o "$3" >/dev/null 2>&1' _ "$JAR" "$WORK/warm/in" "$WORK/warm/out"
timed TIKA sh -c 'java -jar "$1" -t -numConsumers "$2" -i "$3" -o "$4" >"$5" 2>&1' _ "$JAR" "$WORKERS" "$WORK/pdf" "$WORK/tika-out" "$WORK/tika.log"
TIKA_FILES=$(find "$WORK/tika-out" -type f | wc -l)

# 4. pdfplumber, extract_text(layout=True) per page, WORKERS processes.
cat >"$WORK/plumb.py" <<'PY'
import sys, glob, multiprocessing, pdfplumber
def text(path):
    with pdfplumber.open(path) as pdf:
        return sum(len(p.extract_text(layout=True) or "") for p in pdf.pages)
if __name__ == "__main__":
    files = sorted(glob.glob(sys.argv[1] + "/*.pdf"))
    with multiprocessing.Pool(int(sys.argv[2])) as pool:
        n = sum(pool.map(text, files, chunksize=8))
    print(len(files), n)
PY
timed PLUMB sh -c '"$1" "$2" "$3" "$4" >"$5"' _ "$VENV/bin/python" "$WORK/plumb.py" "$WORK/pdf" "$WORKERS" "$WORK/plumb.out"

rate() { echo "scale=1; $1 / $2" | bc -l; }
ratio() { echo "scale=2; $1 / $2" | bc -l; }
T_TWARM=$(echo "$T_TIKA - $T_TSTART" | bc -l)
C_TWARM=$(echo "$C_TIKA - $C_TSTART" | bc -l)
row() { # label what files wall cpu
	printf '| %s | %s | %s | %.2f | %.2f | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$5" \
		"$(rate "$3" "$4")" "$(rate "$PAGES" "$4")" "$(ratio "$4" "$T_REG")" "$(ratio "$5" "$C_REG")"
}
echo "$N PDFs, $PAGES pages, $WORKERS workers, $(nproc) CPUs, $(date -u +%FT%TZ)"
echo
echo "| tool | what it does | files | wall s | CPU s | files/s | pages/s | wall / registre | CPU / registre |"
echo "|---|---|---|---|---|---|---|---|---|"
row "registre pipeline" "read + extract + normalize + flag" "$N" "$T_REG" "$C_REG"
row "pdftotext -layout (poppler $(pdftotext -v 2>&1 | awk 'NR==1{print $3}'))" "text only" "$N" "$T_POP" "$C_POP"
row "Apache Tika $TIKA_VERSION batch, JVM start included" "text only" "$TIKA_FILES" "$T_TIKA" "$C_TIKA"
row "Apache Tika $TIKA_VERSION batch, warm (one-file batch subtracted)" "text only" "$TIKA_FILES" "$T_TWARM" "$C_TWARM"
row "pdfplumber $PLUMBER_VERSION extract_text(layout=True)" "text only" "$N" "$T_PLUMB" "$C_PLUMB"
