package io.corral.panel.common;

import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of every refusal (DomainException): English in messages/refusal_en.properties, which the API answers with
 * (problem+json stays English and stable for scripts), Japanese in messages/refusal_ja.properties, which a page shows a
 * user who reads Japanese. Each message is whole: an invalid field's message names the field itself.
 */
@MessageBundle(value = "refusal", locale = "en")
public interface Refusals {
    // the page's language (ui)
    String language_unknown(String languages);

    String language_signed_out();

    // servers, moves, tenants, plans, billing, usage, hosts, consolidation, API clients, identity, agents, requests
    String server_not_found(long id);

    String server_command_too_long(int max);

    String server_other_tenant();

    String server_tenant_not_found(long id);

    String server_tenant_inactive(String slug, String status, boolean suspended);

    String hostname_rule(String field, String error);

    String placement_backup_host_closed(String host);

    String placement_no_templates(String template);

    String placement_template_not_offered(String template, String offered);

    String placement_no_network(String kind, int hosts);

    String placement_no_room(long memory, String cpus, long disk, String kind, int hosts, String template);

    String relocation_no_host(String template, long memory, String cpus, long disk);

    String quota_per_server(String field, String plan, String allowed, String unit, String asked);

    String quota_servers(String plan, int most, long held);

    String quota_in_all(String field, String plan, String allowed, String unit, String held, String more, String over);

    String quota_memory();

    String quota_swap();

    String quota_cpus();

    String quota_cpu_weight();

    String quota_pids();

    String quota_disk();

    String move_host_not_found(long id);

    String move_there_already(long id, String host);

    String move_under_way(long id, String host);

    String move_host_closed(String host, String status);

    String move_from_down_host(String host);

    String move_network_missing(long id, String network, String host);

    String move_has_snapshots(long id, long count, String host);

    String move_no_room(String host, long id, long memory, String cpus, long disk);

    String limits_no_room(String field, String host, long id, long memory, String cpus, long disk);

    String limits_moving(long id, String host);

    String move_taken_over();

    String move_failed(String to, String id, String from, String reason);

    String move_failed_unknown(String to, String id, String from, String reason);

    String move_interrupted(String id, String host);

    String tenant_not_found(long id);

    String tenant_none_yours();

    String tenant_yours_gone(String slug);

    String tenant_owner_email_required();

    String tenant_slug_taken(String slug);

    String tenant_slug_fixed();

    String tenant_has_servers(String slug, long servers);

    String tenant_inactive_invite(String slug, String status);

    String tenant_users_owner_only();

    String tenant_plan_not_found(long id);

    String plan_not_found(long id);

    String plan_name_taken(String name);

    String billing_format();

    String billing_date_required(String field);

    String billing_to_before_from();

    String billing_export_too_long(long days);

    String billing_granularity();

    String billing_ends_before_starts();

    String billing_period_too_long(long days);

    String billing_period_exists(String startsOn, String endsOn);

    String billing_period_not_found(long id);

    String billing_period_closed(long id, String closedAt);

    String usage_from_after_to();

    String usage_period_too_long(long days);

    String host_not_found(long id);

    String host_name_taken(String name);

    String host_secret_refused();

    String host_agent_failed(String reason);

    String host_agent_unreachable(String url, String reason);

    String host_fingerprint_mismatch(String url, String presented, String given);

    String host_backup_store(String name, int length, boolean tooLong);

    String host_address_too_long(int length);

    String host_address_port(String text);

    String host_address_dns_dot(String text);

    String host_address_dns_label(String text);

    String host_address_dns_digits(String text);

    String host_address_ipv4(String text);

    String host_address_unreachable(String text);

    String consolidation_drain_down(String host);

    String consolidation_headroom();

    String consolidation_idle_below();

    String consolidation_drain_empty(String host);

    String consolidation_drain_no_room(String host);

    String consolidation_nothing_to_run();

    String consolidation_run_busy(long id);

    String consolidation_run_not_found(long id);

    String consolidation_run_ended(long id, String status);

    String consolidation_busy(String what, int kept);

    String consolidation_plans_busy(int atOnce, long waitedSeconds);

    String consolidation_statistics();

    String consolidation_plans();

    String apiclient_tenant_inactive(String slug, String status);

    String apiclient_too_many(String slug, int most);

    String apiclient_not_found(long id, String slug);

    String keycloak_group_missing(String group);

    String keycloak_group_exists(String group);

    String keycloak_user_exists(String email);

    String keycloak_answered(String what, int status, String reason);

    String keycloak_unreachable(String what, String reason);

    String keycloak_create_client();

    String keycloak_revoke_client();

    String keycloak_create_tenant();

    String keycloak_invite();

    String keycloak_list_users();

    String keycloak_enable_users();

    String keycloak_disable_users();

    String keycloak_delete_tenant();

    String agent_not_pinned(String host);

    String agent_answered(String host, String detail);

    String agent_answer_unreadable(String host, String reason);

    String agent_no_room(String host, String reason);

    String agent_certificate_refused(String host, String url, String reason);

    String agent_unreachable(String host, String url, String reason);

    String agent_console_unreachable(String host, String address, int port, String reason);

    String query_whole(String field, long min, long max);

    String query_number(String field);

    String query_date(String field);

    String query_month(String field);

    String query_instant(String field);

    String query_one_line(String field);

    String query_too_long(String field, int max);

    String query_one_of(String field, String values);

    String date_out_of_range(String field, String first, String last);

    String operation_key_form();

    String operation_key_other_kind(String kind);

    String operation_not_found(long id);

    String admin_choose_host();

    String forward_form_gone(String protocol, int hostPort, int serverPort);

    String forward_form_port(String field, String text);

    String ssh_key_form_gone();

    String firewall_form_changed(int position);

    // networks, firewalls, port forwards, credentials, consoles, snapshots and backups
    /** A server named by a path's text, before it is known to be a number. */
    String server_named_not_found(String id);

    String network_not_found(long id);

    String network_none_on_host(String host, String kind);

    String network_no_pool(String network, int family);

    String network_pools_taken(String network, int family, String size);

    String network_full_and(String first, String then);

    String network_full(String networks);

    String network_gateway6_required();

    String network_ipv6_prefix_required();

    String network_name_taken(String name);

    String network_outside_prefix(String field, String address, String prefix);

    String network_gateway_own(String field, String gateway, String prefix);

    String network_gateway_broadcast(String field, String gateway, String prefix);

    String network_prefix_overlaps(String field, String prefix, String network, String theirs);

    String network_no_ipv6(String network);

    String network_pool_reversed(String first, String last);

    String network_pool_empty(String first, String last);

    String network_pool_overlaps(String first, String last, String poolFirst, String poolLast, String network);

    String network_host_overlap(String host, String other, String theirs, String network, String mine);

    String network_uplink_busy_routed(String servers, String host, String network);

    String network_uplink_busy(String servers, String host, String network, String uplink);

    String network_detach_busy(String servers, String host, String network);

    String network_in_use(String network, String servers);

    String network_prefix_form(String field, int family, String example);

    String network_prefix_length(String field, int shortest, int longest, int length);

    String network_prefix_host_bits(String field, String text, String network);

    String network_address_family(String field, int family, String text);

    String network_address_octet(String field, String text);

    String network_address_form(String field);

    String network_uplink_long(int length);

    String network_uplink_form(String uplink);

    String network_uplink_reserved(String uplink);

    String network_uplink_private(String network);

    /** A value the request left out, where a refusal shows what it got. */
    String value_nothing();

    String firewall_allow_or_deny(String field, String got);

    String firewall_too_many_rules(int most, int got);

    String firewall_rule_missing(String field);

    String firewall_protocol(String field, String got);

    String firewall_ports_protocol(String field, String protocol);

    String firewall_ports_form(String field, String got);

    String firewall_ports_range(String field, String ports);

    String firewall_ports_order(String field, String ports);

    String firewall_source_form(String field, String got);

    String firewall_source_mapped(String field, String got);

    String firewall_source_length(String field, int bits, String text);

    String firewall_source_host_bits(String field, int length, String text);

    String forward_none_allowed(int got);

    String forward_too_many(int allowed, int got);

    String forward_missing(String field);

    String forward_protocol(String field, String got);

    String forward_host_port_range(String field, int first, int last, int got);

    String forward_server_port(String field, String got);

    String forward_twice(String field, String key);

    String forward_this_host();

    String forward_both_hosts();

    String forward_port_taken(String field, String key, String hosts);

    String forward_no_free_port(String field, String protocol, int first, int last, String hosts);

    String forward_arrival_taken(long server, String key, String host);

    String forward_arrival_full(String host, int most, long others, long server, int count);

    String forward_host_full(int most, long others, int wanted, long fit);

    String forward_no_network();

    String forward_own_addresses();

    String credential_password_length(String field, int min, int max, int length);

    String credential_password_line(String field);

    String credential_too_many_keys(String field, int most, int got);

    String credential_key_repeated(String field);

    String credential_key_length(String field, int max);

    String credential_key_form(String field);

    String credential_key_type(String field, String types, String got);

    String credential_key_type_mismatch(String field, String named, String type);

    String credential_rsa_bits(String field, int min, int max, int bits);

    String credential_ed25519_length(String field);

    String credential_key_curve(String field, String curve);

    String credential_key_trailing(String field, String type);

    String credential_key_blob(String field, String type);

    String console_tenant_full(int most);

    String console_panel_full(int most);

    String console_no_host(long id);

    String snapshot_not_found(String id, long server);

    String snapshot_quota(String plan, int most, long server, long held);

    String snapshot_storage_quota(String plan, long most, String stored);

    /** Why a snapshot just taken was deleted again: the reason recorded with it, in English. */
    String snapshot_not_kept(String reason);

    String snapshot_not_ready(String id, String status);

    String snapshot_pending(String id);

    String backup_not_found(String id);

    String backup_of_server_not_found(String id, long server);

    String backup_tenant_inactive(String tenant, String status);

    String backup_pending(String id);

    String backup_quota(String plan, int most, long server, long held);

    String backup_not_ready(String id, String status);

    String backup_other_store(String id, String host, long server, String serverHost);

    String backup_template(String template);

    String backup_disk_too_small(long mib);

    String backup_tenant_pending(String tenant, String id);

    String backup_being_restored(String id);

    String backup_evacuate_not_down(String host, String status);

    String backup_evacuate_own_store(String host);

    String backup_evacuate_gone(String host);

    String backup_evacuate_moving(String host);

    String backup_evacuate_pending(long operation, String kind, String status);

    String backup_evacuate_no_backup(String store);

    String backup_schedule_weekday_missing();

    String backup_schedule_weekday_daily();

    String backup_schedule_retention(String plan, int most, int asked);

    String backup_schedule_not_found(long server);
}
