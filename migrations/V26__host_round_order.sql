-- Panels claim a few hosts at a time, those whose claims ran out longest ago first (HostRounds).
create index host_round_waiting on host_round (round, claimed_until);
