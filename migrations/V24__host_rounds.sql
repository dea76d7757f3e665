-- Several panels on one database (issue 17): each host's heartbeat and usage ingestion are claimed for most of an
-- interval by the first panel to come for them, so a host is asked once per interval however many panels run.
create table host_round (
    host_id       bigint not null references host (id) on delete cascade,
    round         text not null check (round in ('heartbeat', 'usage')),
    claimed_until timestamptz not null,
    primary key (host_id, round)
);
