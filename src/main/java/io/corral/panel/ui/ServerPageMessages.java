package io.corral.panel.ui;

import io.corral.panel.server.VirtualServer;
import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of a server's page (UiResource/server.html, tags/copies.html, tags/usageChart.html), as {srv:key}: English
 * in messages/srv_en.properties, Japanese in messages/srv_ja.properties. A bundle of its own, as each of the pages'
 * bundles: Quarkus 3.33 generates a broken resolver for a bundle of more than 300 messages (PageTextTest keeps each
 * under).
 */
@MessageBundle(value = "srv", locale = "en")
public interface ServerPageMessages {
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

    String chart_time();

    /** Followed by why (HTTP 500). */
    String chart_failed();

    String chart_title();

    String chart_24h();

    String chart_7d();

    String chart_30d();

    String chart_empty();
}
