-- Where customers reach a host (issue 15): its public IPv4 address or DNS name, which the server page and
-- the forwards API show a port forward at. The agent's URL is where the panel reaches the host, often an
-- internal name or address; null shows that one, as before. Checked by the panel (host/PublicAddress).
alter table host
    add column public_address text,
    add constraint host_public_address_check check (length(public_address) between 1 and 253);
