#!/bin/sh
# lessons-pot.sh SRCDIR [OUT] — the texts a class reads in data/lessons/*.lesson
# (title, goal, outcome, a note's text, a question's ask and answer) as a
# .pot, po/lessons.pot by default.  po/POTFILES.in lists po/lessons.pot, so
# xgettext (the handshake-lab-pot target) copies these strings into
# po/handshake-lab.pot with the program's; the lesson loader looks each text
# up in the catalog (protocol/engine/tls-lesson.c).  Run it after changing a
# lesson; test `i18n` fails while po/lessons.pot is out of date.
# The header has no date, so the file changes only when a lesson does.
set -eu
src=${1:-.}
out=${2:-$src/po/lessons.pot}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
cd "$src"
xgettext --language=Desktop --from-code=UTF-8 --add-comments \
  -k --keyword=title --keyword=goal --keyword=outcome --keyword=text \
  --keyword=ask --keyword=answer \
  --package-name=handshake-lab --msgid-bugs-address=https://github.com/handshakelab/handshake-lab/issues \
  -o "$tmp" data/lessons/*.lesson
# no POT-Creation-Date; the texts are UTF-8
sed -e '/^"POT-Creation-Date:/d' -e 's/charset=CHARSET/charset=UTF-8/' "$tmp" >"$out"
