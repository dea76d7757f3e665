package io.corral.panel.ui;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the admin pages (hosts, a host, consolidation, networks, tenants and plans), as {adm:key}: English in
 * messages/adm_en.properties, Japanese in messages/adm_ja.properties (a bundle of its own, as ServerPageMessages says).
 */
@MessageBundle(value = "adm", locale = "en")
public interface AdminMessages {

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
