-- What holds a host's servers in, as its agent reports it: the panel shows which servers run without user namespaces.
alter table host add column user_namespaces boolean not null default false;
alter table host add column device_control boolean not null default false;
