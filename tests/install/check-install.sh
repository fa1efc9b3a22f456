#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# check-install.sh BUILDDIR MANDIR HELPDIR COMPLETIONSDIR REFERENCEDIR:
# installs the build into a temporary DESTDIR and checks the documentation
# a user finds there: both man pages render without a warning, the help
# (and each translation of it) validates, the bash completion loads, and
# the HTML API and D-Bus references are complete.  The directories are the
# absolute installation directories, as meson configured them.
set -eu

builddir="$1"
mandir="$2"
helpdir="$3"
completionsdir="$4"
referencedir="$5"
destdir=$(mktemp -d)
trap 'rm -rf "$destdir"' EXIT

fail() {
  echo "not ok: $*"
  exit 1
}

meson install -C "$builddir" --destdir "$destdir" --no-rebuild --quiet >/dev/null

for page in man1/halosyncctl.1 man8/halosyncd.8; do
  file="$destdir$mandir/$page"
  [ -f "$file" ] || fail "no man page $mandir/$page"
  warnings=$(MANWIDTH=80 man --warnings -l "$file" 2>&1 >/dev/null)
  [ -z "$warnings" ] || fail "$page: $warnings"
  echo "ok: $mandir/$page renders without warnings"
done

[ -f "$destdir$helpdir/C/halosync/index.page" ] || fail "no help in $helpdir/C/halosync"
for dir in "$destdir$helpdir"/*/halosync; do
  (cd "$dir" && yelp-check validate --strict ./*.page) || fail "the help in $dir does not validate"
  echo "ok: ${dir#"$destdir"} validates"
done
[ -f "$destdir$helpdir/de/halosync/index.page" ] || fail "no German help"

completion="$destdir$completionsdir/halosyncctl"
[ -f "$completion" ] || fail "no bash completion in $completionsdir"
bash --norc --noprofile -c ". '$completion' && complete -p halosyncctl" >/dev/null ||
  fail "the bash completion does not load"
echo "ok: $completionsdir/halosyncctl loads"

for file in index.html class.Engine.html class.Run.html error.Error.html embedding.html \
            halosync-1.devhelp2 dbus-org.example.HaloSync.Engine1.html; do
  [ -s "$destdir$referencedir/$file" ] || fail "no $referencedir/$file"
done
grep -q 'CreateFiscalYear' "$destdir$referencedir/dbus-org.example.HaloSync.Engine1.html" ||
  fail "the D-Bus reference does not document CreateFiscalYear"
echo "ok: $referencedir holds the API and D-Bus references"
