#!/usr/bin/env python3
"""Where a JFR recording's CPU samples went: for each frame named (a substring of a method, e.g. checkExpired or
UsageIngest.ingest), the share of execution samples whose stack holds it.

Usage: bench/jfr-share.py RECORDING.jfr [--minutes HH:MM-HH:MM] FRAME...
(needs the JDK's jfr on the PATH; --minutes keeps the samples taken in those minutes of the recording, in its clock's
time zone, to leave out the start). How bench/RESULTS.md ("Runs L and M") was measured, on recordings of both panels made by
PANEL_JAVA_OPTS="-XX:StartFlightRecording=filename=/var/tmp/jfr/,settings=profile,dumponexit=true" bench/scale.sh 6."""
import re
import subprocess
import sys

args = sys.argv[1:]
if not args or args[0].startswith("-"):
    sys.exit(__doc__)
recording, args = args[0], args[1:]
first, last = "00:00", "99:99"
if args[:1] == ["--minutes"]:
    first, last = args[1].split("-")
    args = args[2:]
if not args:
    sys.exit("name at least one frame to count: " + __doc__)
printed = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "200", recording],
                         capture_output=True, text=True, check=True).stdout
samples = 0
holding = dict.fromkeys(args, 0)
for event in printed.split("jdk.ExecutionSample")[1:]:
    at = re.search(r"startTime = (\d\d:\d\d)", event)
    if not at or not first <= at.group(1) <= last:
        continue
    samples += 1
    frames = re.findall(r"^\s+([\w$./<>]+)\(", event, re.M)
    for frame in args:
        if any(frame in f for f in frames):
            holding[frame] += 1
print(f"{samples} samples between {first} and {last}")
for frame, n in holding.items():
    print(f"{100 * n / max(samples, 1):5.1f}%  {frame}")
