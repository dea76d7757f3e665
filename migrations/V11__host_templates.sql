-- The templates each host's agent has installed (its facts, space-separated names): new servers are
-- offered and placed only where their template is. Empty until the host's next heartbeat.
alter table host add column template_names text not null default '';
