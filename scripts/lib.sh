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
