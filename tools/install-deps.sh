#!/bin/sh
# Installs the Debian packages Forgotten Ruin needs to build, run and test,
# when any is missing. Used by `make run` / `make deps` and by .ci/run.
#
#   tools/install-deps.sh          build + run packages
#   tools/install-deps.sh --test   also what the test suite drives (python3,
#                                  TinTin++, telnet, expect, tmux, clang, and
#                                  Chromium with node/npm for tests/e2e)
#
# As root it runs apt-get; otherwise it uses sudo when that works without a
# password, and if neither is possible it prints the apt-get line to run.
set -eu

BUILD_PKGS="build-essential pkg-config libtelnet-dev libwebsockets-dev libwebsockets-evlib-uv \
libuv1-dev liburing-dev liblua5.4-dev libncurses-dev libjansson-dev libsqlite3-dev libsodium-dev zlib1g-dev"
TEST_PKGS="libcmocka-dev python3 tintin++ tmux expect inetutils-telnet sqlite3 clang libclang-rt-14-dev \
clang-format chromium nodejs npm openssl websockify"

pkgs="$BUILD_PKGS"
[ "${1:-}" = "--test" ] && pkgs="$pkgs $TEST_PKGS"

# A package counts as there when dpkg has it, or, for these, when its
# command is on the PATH: Node.js from NodeSource (as on our CI machines)
# is not Debian's nodejs and brings its own npm, and Debian's npm cannot be
# installed beside it ("held broken packages").
provided_by_command() {
	case "$1" in
	nodejs) command -v node >/dev/null 2>&1 ;;
	npm) command -v npm >/dev/null 2>&1 ;;
	*) return 1 ;;
	esac
}

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" &&
		! provided_by_command "$p"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "Installing missing packages:$missing"
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo -n"
else
	echo "Cannot install as $(id -un). Please run:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when they are missing or older than a day.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
	$SUDO apt-get update -qq
fi
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
