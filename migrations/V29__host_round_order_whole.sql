-- A claim takes the hosts waiting longest, in (claimed_until, host_id) order. The hosts a panel claimed in one
-- round share one claimed_until, so an index on claimed_until alone made every claim read and sort all of them
-- (thousands at 5,000 hosts) to return a few: 3.5 ms a claim, a fifth of the database's time (bench/RESULTS.md,
-- "Scale"). With host_id in the index, a claim reads only the rows it returns and those it skips.
drop index host_round_waiting;
create index host_round_waiting on host_round (round, claimed_until, host_id);
