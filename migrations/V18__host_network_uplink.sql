-- A public network's uplink on each host it is attached to (issue 15): the host's interface on whose segment
-- the provider expects the servers' addresses, where the host's agent answers ARP and neighbour discovery for
-- them (host-agent/README.md, Networking). Per attachment, since interface names are the host's. Null: the
-- provider routes the network to the host, as before. As strict as the panel's rule (network/Uplink): a Linux
-- interface name of 1 to 15 of [A-Za-z0-9_.-], not . or .., nor loopback's or the agent's own names; on public
-- networks only (a network's kind never changes, so checking it when the row is written is enough).
alter table host_network
    add column uplink text,
    add constraint host_network_uplink_check check (uplink ~ '^[A-Za-z0-9_.-]{1,15}$' and uplink not in ('.', '..', 'lo')
        and uplink !~ '^(crb-|c[vb][0-9a-f]{12}$)');

create function host_network_uplink_public() returns trigger language plpgsql as $$
begin
    if new.uplink is not null and (select kind from network where id = new.network_id) <> 'public' then
        raise exception 'host_network.uplink: only a public network has an uplink (network %)', new.network_id
            using errcode = 'check_violation';
    end if;
    return new;
end $$;

create trigger host_network_uplink_public before insert or update of uplink on host_network
    for each row execute function host_network_uplink_public();
