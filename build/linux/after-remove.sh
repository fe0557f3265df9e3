#!/bin/sh
# The deb's postrm (electron-builder.yml: deb.afterRemove). The app writes a per-user XDG
# autostart entry when "Start when I sign in" is on (main/desktop/login-item.ts); on removal,
# delete the entries that start this package's binary, and leave any other (an AppImage's) alone.
# User data (~/.config/GameClips Companion) is left for a later install, as Debian expects.
set -e
# Tests point this at a temporary folder; dpkg leaves it unset.
root="${GAMECLIPS_POSTRM_ROOT:-}"

case "$1" in
  remove|purge)
    for entry in "$root"/home/*/.config/autostart/gameclips-companion.desktop \
                 "$root"/root/.config/autostart/gameclips-companion.desktop; do
      [ -f "$entry" ] || continue
      if grep -q '^Exec="/opt/GameClips Companion/gameclips-companion"' "$entry"; then
        rm -f "$entry"
      fi
    done
    ;;
esac

exit 0
