#!/usr/bin/env bash
# Builds guichet.zip, the installable PrestaShop module (Modules › Module
# Manager › Upload a module): the folder guichet/ at the archive's root.
# Checks every PHP file with php -l first when PHP is installed.
set -euo pipefail
cd "$(dirname "$0")"
if command -v php >/dev/null; then
	find guichet tests -name '*.php' -print0 | xargs -0 -n1 php -l >/dev/null
fi
out="${1:-$PWD/guichet.zip}"
rm -f "$out"
if command -v zip >/dev/null; then
	zip -qr -X "$out" guichet
else
	python3 -c 'import sys, shutil; shutil.make_archive(sys.argv[1][:-4], "zip", ".", "guichet")' "$out"
fi
echo "$out"
