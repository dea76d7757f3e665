package io.corral.panel.ui;

import io.corral.panel.server.VirtualServer;
import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Every word the pages show, as {msg:key} in the templates: English in messages/msg_en.properties, Japanese in
 * messages/msg_ja.properties (PageTextTest fails on a key missing from either, and on a template's own text).
 */
@MessageBundle(value = "msg", locale = "en")
public interface Messages {
    /** The page's language tag, for the html element's lang. */
    String lang();

    String brand();

    String nav_servers();

    String nav_users();

    String nav_hosts();

    String nav_consolidation();

    String nav_networks();

    String nav_tenants();

    String nav_operations();

    String nav_audit();

    String who_admin();

    String sign_out();

    String language_label();

    String language_en();

    String language_ja();

    String language_change();

    String tenant();

    String host();

    String hostname();

    String server();

    String server_state();

    String memory();

    String swap();

    String cpus();

    String cpu_weight();

    String processes();

    String disk();

    String template();

    String servers_count();

    String order_title();

    String order_from_backup(String when);

    String order_from_backup_note(String diskMiB);

    String order_allowance(String plan);

    String order_per_server(String memory, String swap, java.math.BigDecimal cpus, String weight, String pids, String disk);

    String order_hostname_hint();

    String order_hostname_example();

    String order_no_template();

    String order_memory_mib();

    String order_swap_mib();

    String order_cpu_weight_hint();

    String order_disk_mib();

    String order_ssh_keys();

    String order_ssh_keys_hint();

    String order_ssh_keys_example();

    String order_root_password();

    String order_root_password_hint();

    String order_create();

    String servers_title();

    String servers_heading_admin();

    String servers_heading_customer();

    String servers_usage_csv();

    String servers_new();

    String search_label();

    String search_hostname_hint();

    String search_tenant_hint();

    String search_host_hint();

    String search_any();

    String search_submit();

    String search_clear();

    String servers_page_empty(String total);

    String servers_first_page();

    String servers_no_match();

    String servers_none();

    String servers_order_first();

    String mib(String value);

    /** A server's state as the pages name it. */
    @Message // Qute 3.33 generates the Japanese one only for an annotated enum method
    String state(VirtualServer.Observed state);

    String pager_label();

    String pager_previous();

    String pager_next();

    String pager_shown(String first, String last, String total);

    String users_title(String tenant);

    String users_heading(String tenant);

    String users_invited_password(String user);

    String users_invited_pass_on();

    String users_user();

    String users_role();

    String users_status();

    String users_owner();

    String users_customer();

    String users_disabled();

    String users_first_sign_in();

    String users_active();

    String users_invite_email();

    String users_invite_example();

    String users_invite();

    String clients_heading();

    String clients_how(String tenant);

    String clients_id();

    String clients_secret();

    String clients_token_endpoint();

    String clients_copy_now();

    String clients_name();

    String clients_made();

    String clients_made_by(String date, String who);

    String clients_revoke();

    String clients_revoke_named(String name);

    String clients_none();

    String clients_new_name();

    String clients_new_example();

    String clients_make();

    String ops_operation();

    String ops_attempts();

    String ops_asked_by();

    String ops_when();

    String ops_error();

    String audit_who();

    String audit_what();

    String audit_on();

    String audit_details();

    /** An operation's kind as the pages name it. */
    @Message // Qute 3.33 generates the Japanese one only for an annotated enum method
    String operation(io.corral.panel.server.Operation.Kind kind);

    /** An operation's status as the pages name it. */
    @Message // Qute 3.33 generates the Japanese one only for an annotated enum method
    String status(io.corral.panel.server.Operation.Status status);
}
