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
}
