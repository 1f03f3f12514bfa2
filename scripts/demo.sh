#!/usr/bin/env bash
# The main job on the bundled corpus: build registre, ingest every file of
# fixtures/corpus into the embedded index (a fresh data dir under ./registre-data
# unless REGISTRE_DATA says otherwise), then search it and show the flag summary.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${REGISTRE_DATA:-$PWD/registre-data}"
go build -o registre ./cmd/registre
echo "== registre ingest --data $data fixtures/corpus"
./registre ingest --data "$data" fixtures/corpus
echo
echo "== registre search --data $data \"donnees de sante\""
./registre search --data "$data" "donnees de sante"
echo
echo "== registre search --data $data --filter organisation=Cramif --filter retention=missing \"\""
./registre search --data "$data" --filter organisation=Cramif --filter retention=missing ""
echo
echo "== registre flags fixtures/corpus"
./registre flags fixtures/corpus
echo
echo "Next: ./registre users add --data \"$data\" --role reviewer moi   then   ./registre serve --data \"$data\""
