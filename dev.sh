#!/usr/bin/env bash
# e3ne's one entry point for newcomers and CI. Works on a bare machine: it creates the
# virtualenv (.venv), pip-installs e3ne with its pinned dependencies, and apt-gets
# Verilator and Icarus Verilog when they are missing.
#
#   ./dev.sh test             the whole test suite: pytest, lit/FileCheck, ruff, pyright
#   ./dev.sh compile [ARGS]   the main job: e3ne compile on the embedded default model
#                             (no ARGS: the digits LeNet into out/digits, with its
#                             ULX3S-85F bitstream)
#   ./dev.sh setup            only the set-up
#   ./dev.sh run CMD...       run CMD inside the virtualenv
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
VENV=${E3NE_VENV:-$ROOT/.venv}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

find_python() {
    for py in python3.11 python3; do
        if command -v "$py" >/dev/null && "$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
            echo "$py"; return
        fi
    done
    echo "e3ne needs Python 3.11 (python3.11 on PATH)" >&2; exit 1
}

ensure_system_tools() {
    local missing=()
    command -v verilator >/dev/null || missing+=(verilator)
    command -v iverilog >/dev/null || missing+=(iverilog)
    [ ${#missing[@]} -eq 0 ] && return
    say "installing ${missing[*]} with apt-get"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}" >/dev/null
}

ensure_venv() {
    local py stamp want
    py=$(find_python)
    [ -x "$VENV/bin/python" ] || { say "creating $VENV"; "$py" -m venv "$VENV"; }
    stamp="$VENV/.e3ne-deps"
    want=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        say "installing e3ne and its pinned dependencies (first time: a few minutes)"
        "$VENV/bin/pip" install -q --disable-pip-version-check -e ".[dev]" --config-settings editable_mode=strict 2>&1 \
            | grep -v "^WARNING: Location" || true
        "$VENV/bin/python" -c "import e3ne, xdsl, torch, torch_mlir" # fails loudly if the install did not work
        echo "$want" >"$stamp"
    else
        # Strict editable installs link each file: refresh the links for new modules.
        "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps --no-build-isolation -e . \
            --config-settings editable_mode=strict 2>&1 | grep -v "^WARNING: Location" || true
    fi
}

setup() {
    ensure_system_tools
    ensure_venv
}

run_tests() {
    local bin="$VENV/bin"
    export PATH="$bin:$PATH" PYTHONWARNINGS=ignore
    say "pytest"
    "$bin/python" -m pytest test/unit test/rtl
    say "lit (FileCheck)"
    "$bin/lit" -q test/filecheck
    say "ruff"
    "$bin/ruff" check .
    "$bin/ruff" format --check .
    say "pyright"
    "$bin/pyright" --warnings
    say "all tests passed"
}

cmd=${1:-test}
shift || true
case "$cmd" in
    setup) setup ;;
    test) setup; run_tests ;;
    compile)
        setup
        [ $# -eq 0 ] && set -- --out out/digits --board ulx3s-85f
        exec "$VENV/bin/e3ne" compile "$@" ;;
    run) setup; PATH="$VENV/bin:$PATH" exec "$@" ;;
    *) echo "usage: ./dev.sh test | compile [ARGS] | setup | run CMD..." >&2; exit 2 ;;
esac
