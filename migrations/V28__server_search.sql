-- The admins search all servers by part of the hostname (ServerSearch): a trigram index answers an ilike '%part%'
-- from the index rather than by reading every server (pg_trgm is a trusted extension: the database's owner may add it).
create extension if not exists pg_trgm;
create index virtual_server_hostname_search on virtual_server using gin (hostname gin_trgm_ops) where desired_state <> 'destroyed';
