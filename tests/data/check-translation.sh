#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# check-translation.sh SRCDIR LANG: fails unless po/LANG.po translates every
# message the sources listed in po/POTFILES.in hold today, none fuzzy.  The
# template is extracted afresh (as `ninja halosync-pot` would, with the
# glib preset's keywords), so a string added to the code without a
# translation fails here, not only a .po file that is broken in itself.
set -eu

srcdir="$1"
lang="$2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$srcdir"

# A file with translatable text that po/POTFILES.in does not list would
# never be translated.
grep -rlE --include='*.c' --include='*.ui' --include='*.xml' --include='*.in' \
  '(^|[^A-Za-z0-9_])(N|C|NC)?_ ?\(|translatable="yes"' engine plugins gui data tests/halo-sim |
  sort >"$tmp/marked"
grep -v '^#' po/POTFILES.in | sort >"$tmp/listed"
unlisted=$(comm -23 "$tmp/marked" "$tmp/listed")
if [ -n "$unlisted" ]; then
  echo "# files with translatable text missing from po/POTFILES.in:"
  echo "$unlisted" | sed 's/^/#   /'
  exit 1
fi
xgettext --package-name=halosync --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --keyword=ngettext:1,2 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_set_error:4:c-format --flag=g_printf:1:c-format \
  --files-from=po/POTFILES.in --output="$tmp/halosync.pot" 2>/dev/null

# xgettext ends a message at a format macro such as G_GINT64_FORMAT, so
# the msgid loses its tail and no translation is ever found for it.
truncated=$(msgattrib --no-wrap "$tmp/halosync.pot" | grep -E '^msgid "(.*[^%])?(%%)*%"$' || true)
if [ -n "$truncated" ]; then
  echo "# messages cut short by a format macro (cast to long long and use %lld):"
  echo "$truncated" | sed 's/^/#   /'
  exit 1
fi

msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/$lang.po" "po/$lang.po" "$tmp/halosync.pot"
stats=$(LC_ALL=C msgfmt --check --statistics --output-file=/dev/null "$tmp/$lang.po" 2>&1)
echo "# $lang: $stats"
case "$stats" in
  *fuzzy*|*untranslated*) exit 1 ;;
esac
