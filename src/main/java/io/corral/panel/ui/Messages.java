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

    // the server page (UiResource/server.html, tags/copies.html, tags/usageChart.html)
    String server_start();

    String server_stop();

    String server_restart();

    String server_reinstall_confirm(String hostname);

    String server_reinstall();

    String server_destroy_confirm(String hostname);

    String server_destroy();

    /** What the page says once a form or an order is done. */
    @Message // Qute 3.33 generates the Japanese one only for an annotated enum method
    String server_notice(UiResource.Notice notice);

    String server_desired();

    /** The state a server is to be in, as the pages name it. */
    @Message // Qute 3.33 generates the Japanese one only for an annotated enum method
    String server_desired_state(VirtualServer.Desired state);

    String server_bandwidth();

    String server_bandwidth_both(String inbound, String outbound);

    String server_bandwidth_in_only(String inbound);

    String server_bandwidth_out_only(String outbound);

    String server_bandwidth_none();

    String server_disk_io();

    String server_disk_io_both(String mibps, String iops);

    String server_disk_io_mibps_only(String mibps);

    String server_disk_io_iops_only(String iops);

    String server_disk_io_none();

    String server_disk_io_note();

    String server_addresses();

    String server_network_private(String name, String gateway);

    String server_network_public(String name, String gateway);

    String server_no_addresses();

    String server_id();

    String console();

    String console_about();

    String console_connected();

    String console_closed();

    String console_open_again();

    String console_open();

    String console_unavailable();

    String console_log();

    String console_log_about();

    /** Around the mark of the host's lines, [corral, which the page shows as code. */
    String console_log_host_before();

    String console_log_host_after();

    /** bytes: the page passes #, for console-log.js to put the number in its place. */
    String console_log_overwritten(String bytes);

    String ssh_keys();

    String ssh_about();

    String ssh_type();

    String ssh_comment();

    String ssh_fingerprint();

    String server_remove();

    String ssh_none();

    String ssh_add_heading();

    String ssh_public_key();

    String ssh_public_key_hint();

    String ssh_add();

    String firewall();

    String firewall_about();

    String firewall_default();

    String firewall_default_allow();

    String firewall_default_deny();

    String firewall_change_default();

    String firewall_action();

    String server_protocol();

    String firewall_ports();

    String firewall_from();

    String firewall_allow();

    String firewall_deny();

    String firewall_any_protocol();

    String firewall_all_ports();

    String firewall_anywhere();

    String firewall_none_open();

    String firewall_none_closed();

    String firewall_add_heading();

    String server_tcp();

    String server_udp();

    String firewall_icmp();

    String firewall_ports_hint();

    String firewall_from_hint();

    String firewall_add();

    String forwards();

    String forwards_about();

    String forwards_reach_at();

    String forwards_server_port();

    String forwards_none();

    String forwards_add_heading();

    String forwards_server_port_hint();

    String forwards_host_port();

    String forwards_host_port_hint();

    String forwards_add();

    String server_usage_month();

    String server_cpu();

    String server_core_hours(String hours);

    String server_gib_hours(String hours);

    String server_running();

    String server_hours(String hours);

    String server_network();

    String server_network_gib(String inbound, String outbound);

    String server_traffic();

    String traffic_unmetered(String sent);

    String traffic_pro_rata(String sent, String included, String perMonth);

    String traffic_included(String sent, String included);

    String traffic_beyond(String overage, String cost);

    String server_cost_so_far();

    String slow_heading();

    String slow_cpu(java.math.BigDecimal cpus, String seconds);

    String slow_memory(String seconds, String memory);

    String slow_oom(String kills, String memory);

    String slow_io(String seconds);

    String slow_pids(String hits, String pids);

    String slow_none();

    String isolation();

    String isolation_own_namespaces();

    String isolation_shared();

    String isolation_none();

    String isolation_seccomp();

    String isolation_seccomp_on();

    String isolation_seccomp_off();

    String isolation_capabilities();

    String isolation_devices();

    String isolation_user_namespace();

    String isolation_unavailable(String reason);

    String isolation_not_running();

    String server_recent_operations();

    String copies();

    String copies_about();

    String copies_take_snapshot();

    String copies_back_up_now();

    String copies_snapshots();

    String copies_taken();

    String copies_stored();

    String copies_pause();

    /** A snapshot's or a backup's status as the pages name it. */
    @Message // Qute 3.33 generates the Japanese one only for an annotated enum method
    String copies_status(CopiesSection.Status status);

    String copies_ms(String ms);

    String copies_restore_snapshot_confirm(String hostname, String when);

    String copies_restore();

    String copies_delete_snapshot_confirm(String when);

    String copies_delete();

    String copies_no_snapshots();

    String copies_backups();

    String copies_written();

    String copies_chunks_new_scheduled(String fresh, String all);

    String copies_chunks_new(String fresh, String all);

    String copies_restore_backup_confirm(String hostname, String when);

    String copies_new_server();

    String copies_delete_backup_confirm(String when);

    String copies_no_backups();

    String copies_schedule();

    /** at: the hour in UTC (05:00); next: the next run in the user's zone. */
    String copies_schedule_weekly(String day, String at, String retention, String next);

    String copies_schedule_daily(String at, String retention, String next);

    String copies_no_schedule();

    String copies_how_often();

    String copies_daily();

    String copies_weekly();

    String copies_day();

    String copies_weekly_only();

    String copies_hour_utc();

    String copies_keep_last();

    String copies_save_schedule();

    String copies_remove_schedule();

    String chart_cpu_title();

    String chart_cores();

    String chart_memory_title();

    String chart_gib();

    String chart_disk_title();

    String chart_limit();

    /** Followed by why (HTTP 500). */
    String chart_failed();

    String chart_title();

    String chart_24h();

    String chart_7d();

    String chart_30d();

    String chart_empty();
    // the admin pages (hosts, host, consolidation, networks, tenants, plans)

    String hosts_name();

    String hosts_status();

    /** A host's status as the pages name it. */
    @Message // Qute 3.33 generates the Japanese one only for an annotated enum method
    String host_status(io.corral.panel.host.Host.Status status);

    String hosts_page_empty(String total);

    String hosts_no_match();

    String hosts_none();

    String hosts_memory_allocated();

    String hosts_cpus_allocated();

    String hosts_disk_allocated();

    String hosts_isolation();

    String hosts_user_namespaces();

    String hosts_no_user_namespaces();

    String hosts_servers_without(String count);

    String hosts_no_device_control();

    String hosts_undrain();

    String hosts_drain();

    String hosts_empty_hint();

    String hosts_empty();

    String hosts_register_heading();

    String hosts_agent_address();

    String hosts_agent_address_example();

    String hosts_secret_hint();

    String hosts_fingerprint();

    String hosts_fingerprint_hint_before();

    String hosts_fingerprint_hint_after();

    String hosts_fingerprint_example();

    String hosts_register();

    String host_agent();

    String host_public_address();

    String host_public_address_none();

    String host_public_address_label();

    String host_public_address_hint();

    String host_public_address_example();

    String host_save();

    String host_backup_store();

    String host_backup_store_shared();

    String host_backup_store_own();

    String host_backup_store_label();

    String host_backup_store_hint();

    String host_backup_store_example();

    String host_certificate();

    String host_sha256();

    String host_certificate_taken_before();

    String host_certificate_taken_after();

    String host_certificate_unpinned();

    String host_kernel();

    String host_cgroup(String version);

    String host_templates();

    String host_templates_none();

    String host_allocated_of(String allocated, String size);

    String host_overcommit(String ratio);

    String host_allocated_mib(String allocated, String size);

    String host_user_namespaces();

    String host_user_namespaces_on();

    String host_user_namespaces_off();

    String host_no_answer_yet();

    String host_last_heartbeat();

    String host_down();

    String host_evacuate_note();

    String host_evacuate_confirm(String host);

    String host_evacuate_own_store();

    String host_evacuate();

    String host_evacuated_some(String evacuated, String total, String staying);

    String host_evacuated_staying(String hostname, long id, String reason);

    String host_evacuated_more(String count);

    String host_without_user_namespace();

    String host_without_user_namespace_note();

    String host_measured();

    String host_average();

    String host_p95();

    String host_capacity();

    String host_cpu();

    String host_cores(String cores);

    String host_gib(String value);

    String host_servers_disk();

    String host_idle(String percent, String hours);

    String host_nearly_idle();

    String host_nothing_measured();

    String consolidation_window();

    String consolidation_last_24h();

    String consolidation_last_7d();

    String consolidation_last_30d();

    String consolidation_headroom();

    String consolidation_headroom_hint();

    String consolidation_show();

    String consolidation_just_now();

    String consolidation_seconds_ago(String seconds);

    String consolidation_minutes_ago(String minutes);

    String consolidation_fleet_made(String age);

    String consolidation_hosts();

    String consolidation_hosts_needed();

    String consolidation_for_p95(String percent);

    String consolidation_p95_of_cores(String p95, String capacity);

    String consolidation_p95_of_gib(String p95, String capacity);

    String consolidation_allocated(String amount);

    String consolidation_would_fit(String needed, String hosts);

    String consolidation_first_to_empty();

    String consolidation_and_more(String count);

    String consolidation_drain_them();

    String consolidation_cpu_head();

    String consolidation_memory_head();

    String consolidation_disk_head();

    String consolidation_overcommit_head();

    String consolidation_overcommit();

    String consolidation_idle();

    String consolidation_nearly_idle();

    String consolidation_use_of(String average, String p95, String capacity);

    String consolidation_nothing_measured();

    String consolidation_idle_of(String percent, String hours);

    String consolidation_fleet_being_made(String age);

    String consolidation_plan();

    String consolidation_run(long id);

    /** A run's status as the pages name it. */
    @Message // Qute 3.33 generates the Japanese one only for an annotated enum method
    String consolidation_run_status(io.corral.panel.consolidation.MoveRun.Status status);

    String consolidation_run_moves(String done, String total, String who);

    String consolidation_run_moves_drain(String done, String total, String who);

    String consolidation_cancel();

    String consolidation_run_move(long server, long from, long to);

    /** A move's status as the pages name it. */
    @Message // Qute 3.33 generates the Japanese one only for an annotated enum method
    String consolidation_move_status(io.corral.panel.consolidation.MoveRunStep.Status status);

    String consolidation_plan_old(String age);

    String consolidation_plan_made(String age, String millis);

    String consolidation_hosts_holding();

    String consolidation_kept();

    String consolidation_lower_bound(String bound);

    String consolidation_emptied();

    String consolidation_none();

    String consolidation_moves();

    String consolidation_downtime_measured(String total, String perMove);

    String consolidation_downtime_estimated(String total, String perMove);

    String consolidation_carry_out();

    String consolidation_carry_out_later();

    String consolidation_carry_out_note();

    String consolidation_from();

    String consolidation_to();

    String consolidation_stopped();

    String consolidation_more_moves_before(String total);

    String consolidation_more_moves_after();

    String consolidation_servers_head();

    String consolidation_fullest_head();

    String consolidation_promised_head();

    String consolidation_measured_head();

    String consolidation_emptied_host();

    String consolidation_fullest();

    String consolidation_promised();

    String consolidation_measured();

    String consolidation_first_hosts(String total);

    String consolidation_plan_being_made(String age);

    String consolidation_plan_rules();

    String consolidation_measured_how();

    String consolidation_nearly_idle_when(String percent);

    String networks_intro();

    String networks_none();

    String network_public();

    String network_private();

    String networks_delete_confirm(String network);

    String networks_in_use(String count);

    String networks_delete();

    String networks_ipv4();

    String networks_ipv6();

    String networks_via(String prefix, String gateway);

    String networks_resolvers();

    String networks_pool();

    String networks_addresses();

    String networks_taken();

    String networks_full();

    String networks_no_pool();

    String networks_first_address();

    String networks_last_address();

    String networks_add_pool();

    String networks_uplink(String uplink);

    String networks_detach(String host);

    String networks_no_hosts();

    String networks_uplink_label();

    String networks_uplink_hint();

    String networks_uplink_example();

    String networks_attach();

    String networks_make_heading();

    String networks_name();

    String networks_name_hint();

    String networks_name_example();

    String networks_kind();

    String networks_private_option();

    String networks_ipv4_prefix();

    String networks_ipv4_gateway();

    String networks_ipv6_prefix();

    String networks_optional();

    String networks_ipv6_prefix_example();

    String networks_ipv6_gateway();

    String networks_ipv6_gateway_example();

    String networks_resolvers_hint();

    String networks_make();

    String tenants_heading();

    String tenants_ready_before(String tenant, String owner);

    String tenants_ready_after();

    String tenants_slug();

    String tenants_plan();

    String tenants_status();

    String tenants_since();

    /** A tenant's status as the pages name it. */
    @Message // Qute 3.33 generates the Japanese one only for an annotated enum method
    String tenant_status(io.corral.panel.tenant.Tenant.Status status);

    String tenants_suspend_confirm(String tenant);

    String tenants_suspend();

    String tenants_activate();

    String tenants_delete_confirm(String tenant);

    String tenants_delete();

    String tenants_name();

    String tenants_name_example();

    String tenants_slug_hint();

    String tenants_slug_example();

    String tenants_owner_email();

    String tenants_owner_email_hint();

    String tenants_owner_email_example();

    String tenants_add();

    String plans_heading();

    String plans_in_all();

    String plans_per_server();

    String plans_price_head();

    String plans_price();

    String plans_limits(String memory, String swap, String cpus, String weight, String pids, String disk);

    String plans_unlimited();

    String plans_bandwidth(String in, String out);

    String plans_disk_io(String mibps, String iops);

    String plans_port_forwards(String count);

    String plans_no_network();

    String plans_public_address();

    String plans_private_address();

    String plans_traffic_unmetered();

    String plans_traffic_included(String gib, String price);

    String plans_add();

    String plan_title(String plan);

    String plan_change_note();

    String plan_save();

    String plan_name();

    String plan_name_example();

    String plan_memory_in_all();

    String plan_swap_in_all();

    String plan_cpus_in_all();

    String plan_cpu_weight_in_all();

    String plan_processes_in_all();

    String plan_disk_in_all();

    String plan_memory_per_server();

    String plan_swap_per_server();

    String plan_swap_per_server_hint();

    String plan_cpus_per_server();

    String plan_cpu_weight_per_server();

    String plan_processes_per_server();

    String plan_processes_per_server_hint();

    String plan_disk_per_server();

    String plan_bandwidth_in();

    String plan_bandwidth_out();

    String plan_no_limit_hint();

    String plan_disk_mibps();

    String plan_disk_iops();

    String plan_disk_io_hint();

    String plan_port_forwards();

    String plan_port_forwards_hint();

    String plan_snapshots();

    String plan_none_hint();

    String plan_snapshot_storage();

    String plan_snapshot_storage_hint();

    String plan_backups();

    String plan_backups_hint();

    String plan_price_server();

    String plan_price_memory();

    String plan_price_cpu();

    String plan_price_disk();

    String plan_traffic_included();

    String plan_traffic_included_hint();

    String plan_price_traffic();

    String plan_price_snapshots();

    String plan_price_backups();

    String plan_currency();

    String plan_currency_hint();

    String plan_network();

    String plan_network_hint();

    String plan_network_none();
}
