#!/bin/sh
# Browser tests drive Debian's chromium (never a downloaded browser). Install it when we can.
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Cài chromium (Debian) cho các kiểm thử trình duyệt…"
  (apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }) >/dev/null 2>&1
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "Không có /usr/bin/chromium: các kiểm thử trình duyệt sẽ bị bỏ qua (sudo apt-get install chromium)." >&2
fi
exit 0
