-- A plan's included traffic (issue 15): what each of its servers may send in a calendar month (UTC)
-- before the rest is charged, in GiB, and the price of each GiB beyond it in the plan's currency. Only
-- what a server sends counts: a customer cannot choose what others send to it. Null is unmetered
-- (nothing counted against an allowance, nothing charged), which is how plans made before kept their
-- servers' traffic; 0 includes none. At most 100,000,000 GiB: a 100 Gbit/s link, the most an agent
-- shapes to, sends about 31 million GiB in a month.
alter table plan
    add column server_included_traffic_gib bigint,
    add column price_traffic_overage_gib numeric(12, 4) not null default 0,
    add constraint plan_server_included_traffic_gib_check check (server_included_traffic_gib between 0 and 100000000),
    add constraint plan_price_traffic_overage_gib_check check (price_traffic_overage_gib >= 0);

-- A frozen line keeps its traffic too: what the server sent, its allowance for the line's month (null:
-- unmetered), the part of what it sent beyond that allowance and its cost (in cost already).
alter table billing_line
    add column traffic_out_gib numeric(20, 6) not null default 0,
    add column traffic_included_gib numeric(20, 6),
    add column traffic_overage_gib numeric(20, 6) not null default 0,
    add column traffic_overage_cost numeric(20, 6) not null default 0;

-- Lines frozen before: their plans were unmetered, so no allowance and nothing charged; what each server
-- sent is in the ledger, which keeps its hours for good.
update billing_line b set traffic_out_gib = coalesce((
    select round(sum(h.network_out_bytes) / 1073741824.0, 6) from usage_hour h
    where h.server_id = b.server_id and h.hour >= b.charge_start and h.hour < b.charge_end), 0);
