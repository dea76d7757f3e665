-- When a heartbeat last read the host's facts, kept with the host rather than in each panel's memory: two panels
-- taking turns at a host each read its facts at their own first visit of a minute, so half the beats at 5,000 hosts
-- asked for facts where one in six was meant to (bench/RESULTS.md, "Scale").
alter table host add column facts_taken_at timestamptz;
