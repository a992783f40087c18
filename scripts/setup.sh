#!/usr/bin/env bash
# Installs what Consentry needs and is not already here; safe to run again and again.
# Java 17, Maven, Node.js and npm must be present; the rest comes from Debian's packages and the npm registry.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { echo "consentry setup: $*" >&2; }
die() { say "$*"; exit 3; }

for tool in java mvn node npm; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is missing: install Java 17, Maven, Node.js and npm first."
done

# Debian packages: mitmproxy for the capture; DejaVu fonts so virtual handsets can render screenshots; Chromium so
# the tests can open the HTML report as a reader would; iproute2, iptables and tcpdump for access-point capture mode
# and the network tap (and their tests, which build network namespaces).
need_apt=()
command -v mitmdump >/dev/null 2>&1 || need_apt+=(mitmproxy)
command -v ip >/dev/null 2>&1 || need_apt+=(iproute2)
command -v iptables >/dev/null 2>&1 || need_apt+=(iptables)
command -v tcpdump >/dev/null 2>&1 || need_apt+=(tcpdump)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -n "$(fc-list 2>/dev/null | head -n 1)" ] || need_apt+=(fontconfig fonts-dejavu-core)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    die "missing Debian packages: ${need_apt[*]}. Install them by hand: sudo apt-get install ${need_apt[*]}"
  fi
  say "installing ${need_apt[*]} (apt-get) ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed: install by hand: apt-get install ${need_apt[*]}"
  apt-get install -y -qq "${need_apt[@]}" >/dev/null \
    || die "apt-get install ${need_apt[*]} failed: install them by hand"
fi
# Asking mitmdump its version starts Python (~0.7 s): remembered per mitmdump file (path, size, modification time).
mitm_key="$(stat -L -c '%n %s %Y' "$(command -v mitmdump)")"
mitm_cache="$home/.consentry/mitmdump-version"
if [ -f "$mitm_cache" ] && [ "$(head -n 1 "$mitm_cache")" = "$mitm_key" ]; then
  mitm_version="$(sed -n 2p "$mitm_cache")"
else
  mitm_version="$(mitmdump --version 2>/dev/null | sed -n 's/^Mitmproxy: *//p')"
  if [ -n "$mitm_version" ]; then
    mkdir -p "$home/.consentry" && printf '%s\n%s\n' "$mitm_key" "$mitm_version" > "$mitm_cache"
  fi
fi
case "$mitm_version" in
  8.*|9.*|10.*|11.*) ;;
  *) say "warning: mitmdump reports version '${mitm_version:-unknown}'; Consentry is tested with Debian's 8.1.1" ;;
esac

# Appium 3 and its drivers, pinned by appium/package-lock.json, into the project (APPIUM_HOME=appium/).
stamp="$home/appium/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$home/appium/package-lock.json" -nt "$stamp" ]; then
  say "installing Appium and drivers (npm ci in appium/) ..."
  (cd "$home/appium" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || die "npm ci in appium/ failed: the npm registry must be reachable"
fi
