#!/usr/bin/env bash
# Runs every check of the project: gofmt, go vet, the whole test suite
# (integration tests against a real Elasticsearch node started here), then
# each fuzz target briefly. Run scripts/setup.sh once before on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME="${FUZZTIME:-5s}"

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt: these files need formatting:" >&2
  echo "$unformatted" >&2
  exit 1
fi
go vet ./...

started_es=""
if [ -z "${ELASTICSEARCH_URL:-}" ] && [ -x scripts/elasticsearch.sh ]; then
  # Stop at the end only a node this run started, not one that was running.
  scripts/elasticsearch.sh status >/dev/null 2>&1 || started_es=1
  ELASTICSEARCH_URL=$(scripts/elasticsearch.sh start | tail -n 1)
  export ELASTICSEARCH_URL
fi
cleanup() { if [ -n "$started_es" ]; then scripts/elasticsearch.sh stop >/dev/null 2>&1 || true; fi; }
trap cleanup EXIT

go test -count=1 ./...

# Each fuzz target for a few seconds: new crashers fail the run.
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do
  pkg="./$(dirname "${f#./}")"
  for t in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //'); do
    echo "fuzz $pkg $t ($FUZZTIME)"
    go test -run='^$' -fuzz="^${t}\$" -fuzztime="$FUZZTIME" "$pkg" >/tmp/registre-fuzz.log 2>&1 || { cat /tmp/registre-fuzz.log; exit 1; }
  done
done
echo "all checks passed"
