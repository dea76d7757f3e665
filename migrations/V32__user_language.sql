-- The language a user chose in the panel's header: kept for the user (Keycloak's subject), so it follows them to
-- another browser; a user who never chose sees the language their browser asks for.
create table user_language (
    subject text primary key,
    language text not null check (language in ('en', 'ja')),
    chosen_at timestamptz not null default now()
);
