-- A server's inbound firewall (issue 15): its default, and its rules in order (position 0 decides first),
-- each bounded as the agent bounds it, so no row can hold what the agent would refuse. A server without a
-- server_firewall row is open (default allow, no rules), as servers made before firewalls are.
create table server_firewall (
    server_id        bigint primary key references virtual_server (id),
    default_inbound  text not null check (default_inbound in ('allow', 'deny'))
);

create table firewall_rule (
    server_id   bigint not null references server_firewall (server_id) on delete cascade,
    position    integer not null check (position between 0 and 63),
    action      text not null check (action in ('allow', 'deny')),
    protocol    text not null check (protocol in ('tcp', 'udp', 'icmp', 'any')),
    -- a port or a range, tcp and udp only; null: every port
    first_port  integer check (first_port between 1 and 65535),
    last_port   integer check (last_port between 1 and 65535),
    -- null: from anywhere
    source      cidr,
    primary key (server_id, position),
    check ((first_port is null) = (last_port is null) and first_port <= last_port),
    check (first_port is null or protocol in ('tcp', 'udp'))
);

-- a change of a running server's firewall is sent to its agent as an operation, as limits are
alter table operation drop constraint operation_kind_check;
alter table operation add constraint operation_kind_check
    check (kind in ('create', 'start', 'stop', 'restart', 'reinstall', 'destroy', 'limits', 'firewall'));
