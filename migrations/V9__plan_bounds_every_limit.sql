-- Every limit a customer can set is bounded by the plan, per server and in all: swap, processes and CPU
-- weight join memory, CPUs and disk. Per server never more than an agent takes (host-agent/README.md,
-- "Limits and their rules"): swap up to 1 TiB, processes 8 to 4194304, CPU weight 1 to 10000.
alter table plan
    add column max_swap_mib bigint,
    add column max_pids bigint,
    add column max_cpu_weight bigint,
    add column server_max_swap_mib bigint,
    add column server_max_pids integer,
    add column server_max_cpu_weight integer;

-- Existing plans: per server, swap up to its memory, 4096 processes and the normal CPU weight (100: a
-- larger share of a busy host is the plan's to give); in all, as much as each of its servers may have.
update plan set
    server_max_swap_mib = least(server_max_memory_mib, 1048576),
    server_max_pids = 4096,
    server_max_cpu_weight = 100,
    max_swap_mib = max_memory_mib,
    max_pids = max_servers * 4096::bigint,
    max_cpu_weight = max_servers * 100::bigint;

alter table plan
    alter column max_swap_mib set not null,
    alter column max_pids set not null,
    alter column max_cpu_weight set not null,
    alter column server_max_swap_mib set not null,
    alter column server_max_pids set not null,
    alter column server_max_cpu_weight set not null,
    add constraint plan_max_swap_mib_check check (max_swap_mib >= 0),
    add constraint plan_max_pids_check check (max_pids >= 0),
    add constraint plan_max_cpu_weight_check check (max_cpu_weight >= 0),
    add constraint plan_server_max_swap_mib_check check (server_max_swap_mib between 0 and 1048576),
    add constraint plan_server_max_pids_check check (server_max_pids between 8 and 4194304),
    add constraint plan_server_max_cpu_weight_check check (server_max_cpu_weight between 1 and 10000);
