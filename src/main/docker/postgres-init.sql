-- Keycloak keeps its data in its own database of the same PostgreSQL server.
create database keycloak;
