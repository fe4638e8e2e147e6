#!/usr/bin/env bash
# Prepare this machine for the portal: Debian packages (installed when run as root, otherwise
# listed), then a virtualenv in .venv with the project and its dependencies.
#   scripts/bootstrap.sh          what `make run` needs
#   scripts/bootstrap.sh --test   also what `make test` needs (Chromium for the browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
# Run time: WeasyPrint's libraries (libharfbuzz-subset0 makes Chinese PDFs ~50x faster) and a CJK font.
# fonts-dejavu-core carries ☑ (是 ☑ 否 □), which the CJK fonts lack.
RUN_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-noto-cjk fonts-wqy-microhei fonts-dejavu-core poppler-utils"
TEST_PACKAGES="chromium"
VENV_PACKAGES="python3-venv"

wanted="$RUN_PACKAGES"
[ "${1:-}" = "--test" ] && wanted="$wanted $TEST_PACKAGES"
"$PYTHON" -m venv --help >/dev/null 2>&1 || wanted="$wanted $VENV_PACKAGES"

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in $wanted; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
  done
fi
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> 安装系统软件包:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "缺少以下系统软件包，请以 root 身份安装：sudo apt-get install$missing" >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> 创建虚拟环境 .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(cat pyproject.toml requirements.lock | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "==> 安装 Python 依赖"
  .venv/bin/pip install -q --upgrade pip
  # The versions CI tested: requirements.lock constrains every package, direct or not.
  .venv/bin/pip install -q -c requirements.lock -e ".[dev]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
