#!/usr/bin/env bash
# Installs what registre's tests and tools need on a fresh Debian machine:
# Go modules, poppler (pdftotext fallback reader), LibreOffice (legacy .doc),
# catdoc, qpdf (test fixtures), tesseract (OCR), Chromium (web UI tests),
# Java + Maven (the Elasticsearch test node and its analysis plugin).
# Idempotent: installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have curl      || need+=(curl)
have unzip     || need+=(unzip)
have pdftotext || need+=(poppler-utils)
have soffice   || need+=(libreoffice-writer-nogui libreoffice-calc-nogui)
have catdoc    || need+=(catdoc)
have qpdf      || need+=(qpdf)
have tesseract || need+=(tesseract-ocr tesseract-ocr-fra)
if have tesseract && ! tesseract --list-langs 2>/dev/null | grep -qx fra; then need+=(tesseract-ocr-fra); fi
# DejaVu: the Unicode font `registre bench gen` embeds in its PDFs (tests use it).
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
have bc        || need+=(bc)                 # bench/peers.sh
python3 -c 'import ensurepip' 2>/dev/null || need+=(python3-venv)  # bench/peers.sh
have chromium  || need+=(chromium)
have java      || need+=(default-jdk-headless)
have mvn       || need+=(maven)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
go mod download
echo "setup: ok" >&2
