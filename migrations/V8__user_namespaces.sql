-- Which servers run in a user namespace of their own (as their agent reports them; null until it has),
-- and why a host gives new servers none, so admins see which servers run without.
alter table host add column user_namespaces_unavailable text;
alter table virtual_server add column own_user_namespace boolean;
