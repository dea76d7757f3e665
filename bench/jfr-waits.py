#!/usr/bin/env python3
"""Where the time of a request went while it waited: of a JFR recording's socket reads (the database's answers, a lock
waited for in PostgreSQL included), thread parks and monitor waits whose stack holds FRAME (e.g. ServerService.create),
the total and count per first io.corral frame under it, most first.

Usage: bench/jfr-waits.py RECORDING.jfr FRAME
(needs the JDK's jfr on the PATH). How bench/RESULTS.md ("Where an order's time went") was measured, on the recording of
the panel taking the orders, made by
PANEL_JAVA_OPTS="-XX:StartFlightRecording=filename=/var/tmp/jfr/,settings=profile,dumponexit=true" bench/scale.sh 3."""
import collections
import re
import subprocess
import sys

if len(sys.argv) != 3:
    sys.exit(__doc__)
recording, frame = sys.argv[1:]
UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0, "h": 3600.0}
total = collections.Counter()
count = collections.Counter()
for kind in ("jdk.SocketRead", "jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait"):
    printed = subprocess.run(["jfr", "print", "--events", kind, "--stack-depth", "120", recording],
                             capture_output=True, text=True, check=True).stdout
    for event in printed.split(kind + " {")[1:]:
        if frame not in event:
            continue
        took = re.search(r"duration = ([\d.,]+) (\w+)", event)
        if not took:
            continue
        seconds = float(took.group(1).replace(",", "")) * UNITS[took.group(2)]
        # the first of our frames: the statement's or the wait's caller, what a reader can change
        ours = next((line.strip() for line in event.splitlines() if line.strip().startswith("io.corral.")), "(none)")
        where = kind.split(".")[1] + " " + re.sub(r"\s+line:.*", "", ours)
        total[where] += seconds
        count[where] += 1
print(f"| waited in, under {frame} | total s | events |")
print("| --- | --- | --- |")
for where, seconds in total.most_common(25):
    print(f"| {where} | {seconds:.1f} | {count[where]} |")
