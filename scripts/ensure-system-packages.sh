#!/usr/bin/env bash
# Debian packages the platform needs, installed when missing (never a browser download):
# - always (make run and make test): Pango and a font, which WeasyPrint uses to write PDF reports;
# - for the tests (default, or --tests): chromium (browser tests drive it through Playwright) and
#   gettext (the translation check extracts messages).
# Usage: scripts/ensure-system-packages.sh [--runtime|--tests]
set -euo pipefail
mode="${1:---tests}"
missing=()
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || missing+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || missing+=(libpangoft2-1.0-0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ "$mode" = "--tests" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v xgettext >/dev/null 2>&1 || missing+=(gettext)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  SUDO="sudo"
fi
echo "Installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
