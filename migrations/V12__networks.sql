-- Networks (issue 15). The panel owns every address: a network has an IPv4 prefix and gateway, may have an
-- IPv6 prefix and gateway, and resolvers; its pools are the ranges servers' addresses are taken from; the
-- hosts attached to it (one, or several sharing it) can give their servers its addresses. An address is a
-- server's alone: the key of server_address makes the second of two orders racing for one fail, whatever
-- the code above it does. Addresses are stored one per row, with their full mask (/32, /128), so an
-- address compares equal to itself only.
create table network (
    id           bigserial primary key,
    name         text not null unique check (name ~ '^[a-z0-9]{1,8}$'),
    kind         text not null check (kind in ('public', 'private')),
    ipv4_prefix  cidr not null check (family(ipv4_prefix) = 4),
    gateway4     inet not null check (gateway4 << ipv4_prefix and masklen(gateway4) = 32),
    ipv6_prefix  cidr check (family(ipv6_prefix) = 6),
    gateway6     inet check (gateway6 << ipv6_prefix and masklen(gateway6) = 128),
    -- up to three addresses, comma-separated, written to the servers' /etc/resolv.conf by their agent
    resolvers    text not null default '',
    created_at   timestamptz not null default now(),
    check ((ipv6_prefix is null) = (gateway6 is null))
);

create table address_pool (
    id             bigserial primary key,
    network_id     bigint not null references network (id) on delete cascade,
    first_address  inet not null,
    last_address   inet not null,
    check (family(first_address) = family(last_address) and first_address <= last_address),
    check (masklen(first_address) = masklen(last_address) and masklen(first_address) in (32, 128))
);
create index address_pool_network on address_pool (network_id);

create table host_network (
    host_id     bigint not null references host (id),
    network_id  bigint not null references network (id) on delete cascade,
    primary key (host_id, network_id)
);
create index host_network_network on host_network (network_id);

-- A row is taken in the order's transaction and deleted when the server's destroy has completed (or its
-- create failed); a reinstall keeps it.
create table server_address (
    network_id  bigint not null references network (id),
    address     inet not null check (masklen(address) in (32, 128)),
    server_id   bigint not null references virtual_server (id),
    primary key (network_id, address)
);
create unique index server_address_one_per_family on server_address (server_id, family(address));

-- The kind of network a plan's servers get, or none. New plans get a private one unless the admin says
-- otherwise; plans made before had servers without networks and keep them so (no network exists yet, and
-- an order that finds none is refused).
alter table plan add column network text not null default 'private' check (network in ('none', 'private', 'public'));
update plan set network = 'none';

-- Traffic: the agents' cumulative bytes per counter epoch (as cpu_nanos), their growth in the ledger.
alter table usage_sample
    add column network_in_bytes  bigint not null default 0,
    add column network_out_bytes bigint not null default 0;

alter table usage_meter
    add column network_in_bytes  bigint not null default 0,
    add column network_out_bytes bigint not null default 0;

alter table usage_hour
    add column network_in_bytes  bigint not null default 0,
    add column network_out_bytes bigint not null default 0;
