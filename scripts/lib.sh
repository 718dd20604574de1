# Shared by scripts/serve and scripts/test: one way to make the virtual environment.

python_for_venv() {
    for candidate in "${PYTHON:-}" python3.11 python3; do
        if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1; then
            echo "$candidate"
            return
        fi
    done
    echo "habitat-kg: no python3 found; install Python 3.11" >&2
    exit 1
}

# install_python_env [EXTRA]: .venv with habitat-kg (editable) and the versions pinned in
# requirements.lock; EXTRA names an optional dependency group of pyproject.toml (e.g. test).
install_python_env() {
    local target="."
    [ -n "${1:-}" ] && target=".[$1]"
    [ -x .venv/bin/python ] || "$(python_for_venv)" -m venv .venv
    .venv/bin/python -m pip install --quiet --disable-pip-version-check \
        --constraint requirements.lock --editable "$target"
}

# System packages the tests need: Debian's Chromium and its driver (browser tests), CJK fonts
# (pictures and pages), Virtuoso (a real SPARQL server the remote-store tests start), mimalloc
# (the query workers' allocator, setting worker-allocator).
TEST_SYSTEM_PACKAGES="chromium chromium-driver fonts-noto-cjk virtuoso-opensource libmimalloc2.0"

install_test_system_packages() {
    local missing=""
    for package in $TEST_SYSTEM_PACKAGES; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing="$missing $package"
    done
    [ -z "$missing" ] && return
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "habitat-kg: the tests need these Debian packages:$missing (no apt-get here)" >&2
        return
    fi
    local sudo=""
    [ "$(id -u)" = "0" ] || sudo="sudo"
    echo "installing Debian packages:$missing" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing \
        >/dev/null
}
