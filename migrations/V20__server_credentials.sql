-- Root's credentials on a server (issue 16): its SSH public keys, in the order the customer gave them, and
-- its password's SHA-512 crypt hash; the password itself is never stored. Bounded as the agent bounds them
-- (32 keys of at most 8,192 characters, one line each; a hash as crypt(3) writes it), so no row can hold
-- what the agent would refuse.
create table server_ssh_key (
    server_id  bigint not null references virtual_server (id),
    position   integer not null check (position between 0 and 31),
    key        text not null check (length(key) <= 8192 and key !~ '[[:cntrl:]]'),
    primary key (server_id, position)
);

create table server_root_password (
    server_id  bigint primary key references virtual_server (id),
    hash       text not null check (hash ~ '^\$6\$(rounds=[1-9][0-9]{3,8}\$)?[./0-9A-Za-z]{1,16}\$[./0-9A-Za-z]{86}$')
);

-- a change of a server's keys is sent to its agent as an operation, as its firewall is
alter table operation drop constraint operation_kind_check;
alter table operation add constraint operation_kind_check
    check (kind in ('create', 'start', 'stop', 'restart', 'reinstall', 'destroy', 'limits', 'firewall', 'forwards', 'sshKeys'));
