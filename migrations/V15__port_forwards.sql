-- Port forwards (issue 15): a host port of a server's host sent on to a port of the server, for servers on a
-- private network. host_id is the server's host, kept with it by the foreign key on (server_id, host_id):
-- a server moved to another host takes its forwards along (on update cascade), and the move fails if the
-- new host already forwards one of their ports to another server. So one host's protocol and port belong
-- to one server at most, which the unique constraint holds under any number of concurrent requests.
alter table virtual_server add constraint virtual_server_id_host_key unique (id, host_id);

create table port_forward (
    server_id    bigint not null,
    host_id      bigint not null references host (id),
    protocol     text not null check (protocol in ('tcp', 'udp')),
    host_port    integer not null check (host_port between 1 and 65535),
    server_port  integer not null check (server_port between 1 and 65535),
    primary key (server_id, protocol, host_port),
    constraint port_forward_host_port_key unique (host_id, protocol, host_port),
    foreign key (server_id, host_id) references virtual_server (id, host_id) on update cascade
);

-- How many forwards each server of a plan may have: 0 is none, at most what an agent takes (32). Existing
-- plans get 4, enough for SSH and a few services, as new plans do unless their admin says otherwise.
alter table plan
    add column server_port_forwards integer not null default 4,
    add constraint plan_server_port_forwards_check check (server_port_forwards between 0 and 32);

-- a change of a server's forwards is sent to its agent as an operation, as its firewall is
alter table operation drop constraint operation_kind_check;
alter table operation add constraint operation_kind_check
    check (kind in ('create', 'start', 'stop', 'restart', 'reinstall', 'destroy', 'limits', 'firewall', 'forwards'));
