#!/bin/sh
# cloudy-stand-in: NOT Cloudy. A stand-in for cloudy.exe's process behaviour only, for testing skybook's runner where
# no Cloudy can be installed (no registry has it). It follows what the runner relies on, as Cloudy does it: the deck
# arrives on standard input, the main output goes to standard output, the output begins with the "Cloudy <version>"
# banner and the echoed deck in a box of '*', and a good run ends with "Cloudy ends: N zones, ..." and
# "[Stop in cdMain at maincl.cpp:593, Cloudy exited OK]" and exit status 0. There is no physics: parsing is tested on
# real Cloudy output only (../shared/fixtures/cloudy).
# The deck's title picks a failure to imitate: "stand-in crash" (killed by SIGSEGV), "stand-in hang" (never ends),
# "stand-in exit-one" (a botched run: exit status 1), "stand-in no-ok" (exit 0 but the output stops before "exited OK").
deck=$(cat)
title=$(printf '%s\n' "$deck" | sed -n 's/^title //p' | head -n 1)
printf '%60s\n%60s\n\n' 'Cloudy (stand-in)' 'not www.nublado.org'
printf '%23s%s\n' '' '***********************************************************************************'
printf '%s\n' "$deck" | while IFS= read -r line; do printf '%23s* %-80s*\n' '' "$line"; done
printf '%23s%s\n\n' '' '***********************************************************************************'
case "$title" in
  *'stand-in crash'*) kill -SEGV $$ ;;
  *'stand-in hang'*) exec sleep 3600 ;;
  *'stand-in exit-one'*) printf ' PROBLEM DISASTER: the stand-in botched this model\n'; exit 1 ;;
  *'stand-in no-ok'*) printf '   Calculation stopped because the stand-in stopped. Iteration 1 of 1\n'; exit 0 ;;
esac
printf '   Calculation stopped because NZONE reached. Iteration 1 of 1\n'
printf ' Cloudy ends: 1 zone, 1 iteration, 0 cautions. ExecTime(s) 0.00\n'
printf ' [Stop in cdMain at maincl.cpp:593, Cloudy exited OK]\n'
exit 0
