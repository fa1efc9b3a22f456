#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# check-translation.sh HELPDIR LANG PAGE...: fails unless HELPDIR/LANG/LANG.po
# translates every message itstool extracts from the pages today, none
# fuzzy, and the pages it translates still validate.
set -eu

helpdir="$1"
lang="$2"
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$helpdir/C"
itstool -o "$tmp/help.pot" "$@"
msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/$lang.po" "../$lang/$lang.po" "$tmp/help.pot"
stats=$(LC_ALL=C msgfmt --check --statistics --output-file="$tmp/$lang.mo" "$tmp/$lang.po" 2>&1)
echo "# $lang: $stats"
case "$stats" in
  *fuzzy*|*untranslated*) exit 1 ;;
esac

mkdir "$tmp/$lang"
itstool -m "$tmp/$lang.mo" --lang "$lang" -o "$tmp/$lang/" "$@"
cd "$tmp/$lang"
yelp-check validate --strict "$@"
