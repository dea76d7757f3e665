package io.corral.panel.billing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** How an export is written, a line at a time: Corral's CSV, JSON, or FOCUS-compatible CSV. */
enum ExportFormat {
    csv("text/csv", List.of("period_start", "period_end", "charge_start", "charge_end", "tenant", "tenant_name", "server_id",
            "hostname", "plan", "memory_mib", "cpus", "disk_mib", "billed_hours", "cpu_core_hours", "memory_gib_hours",
            "disk_gib_hours", "network_gib", "uptime_hours", "base_cost", "resource_cost", "cost", "currency", "traffic_out_gib",
            "traffic_included_gib", "traffic_overage_gib", "traffic_overage_cost", "snapshot_gib_hours", "backup_gib_hours",
            "storage_cost")) {
        @Override
        List<Object> values(BillingLine l, Instant periodStart, Instant periodEnd) {
            return Arrays.asList(periodStart, periodEnd, l.chargeStart(), l.chargeEnd(), l.tenantSlug(), l.tenantName(), l.serverId(),
                    l.hostname(), l.planName(), l.memoryMiB(), l.cpus().toPlainString(), l.diskMiB(), l.billedHours(),
                    l.cpuCoreHours().toPlainString(), l.memoryGibHours().toPlainString(), l.diskGibHours().toPlainString(),
                    l.networkGib().toPlainString(), l.uptimeHours().toPlainString(), l.baseCost().toPlainString(),
                    l.resourceCost().toPlainString(), l.cost().toPlainString(), l.currency(), l.trafficOutGib().toPlainString(),
                    l.trafficIncludedGib() == null ? null : l.trafficIncludedGib().toPlainString(), // unmetered
                    l.trafficOverageGib().toPlainString(), l.trafficOverageCost().toPlainString(), l.snapshotGibHours().toPlainString(),
                    l.backupGibHours().toPlainString(), l.storageCost().toPlainString());
        }
    },
    /** The FinOps Open Cost and Usage Specification's columns; one hour of a server is the pricing unit. */
    focus("text/csv", List.of("BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd", "BilledCost",
            "EffectiveCost", "ListCost", "BillingCurrency", "ChargeCategory", "ChargeDescription", "ResourceId", "ResourceName",
            "ServiceName", "SkuId", "PricingUnit", "PricingQuantity", "ConsumedQuantity", "ConsumedUnit", "SubAccountId",
            "SubAccountName")) {
        @Override
        List<Object> values(BillingLine l, Instant periodStart, Instant periodEnd) {
            String cost = l.cost().toPlainString();
            return List.of(periodStart, periodEnd, l.chargeStart(), l.chargeEnd(), cost, cost, cost, l.currency(), "Usage",
                    l.hostname() + " on plan " + l.planName() + ": " + l.memoryMiB() + " MiB, " + l.cpus().toPlainString()
                            + " CPUs, " + l.diskMiB() + " MiB disk",
                    Long.toString(l.serverId()), l.hostname(), "Corral virtual server", l.planName(), "Hours", l.billedHours(),
                    l.uptimeHours().toPlainString(), "Hours", l.tenantSlug(), l.tenantName());
        }
    },
    json("application/json", csv.columns) {
        @Override
        List<Object> values(BillingLine l, Instant periodStart, Instant periodEnd) {
            return csv.values(l, periodStart, periodEnd);
        }
    };

    final String contentType;
    final List<String> columns;

    ExportFormat(String contentType, List<String> columns) {
        this.contentType = contentType;
        this.columns = columns;
    }

    abstract List<Object> values(BillingLine line, Instant periodStart, Instant periodEnd);

    /** A writer of this format's lines on out; close() ends the document. */
    LineWriter open(Writer out) throws IOException {
        if (this == json) {
            JsonGenerator g = new JsonFactory().createGenerator(out);
            g.writeStartArray();
            return new LineWriter() {
                @Override
                public void write(BillingLine line, Instant periodStart, Instant periodEnd) throws IOException {
                    List<Object> values = values(line, periodStart, periodEnd);
                    g.writeStartObject();
                    for (int i = 0; i < columns.size(); i++) {
                        Object v = values.get(i);
                        if (v == null) {
                            g.writeNullField(columns.get(i));
                        } else if (v instanceof Number n) {
                            g.writeNumberField(columns.get(i), n.longValue());
                        } else if (v instanceof String s && isDecimal(columns.get(i))) {
                            g.writeFieldName(columns.get(i));
                            g.writeNumber(s);
                        } else {
                            g.writeStringField(columns.get(i), String.valueOf(v));
                        }
                    }
                    g.writeEndObject();
                }

                @Override
                public void close() throws IOException {
                    g.writeEndArray();
                    g.close();
                }
            };
        }
        CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(columns.toArray(String[]::new)).get());
        return new LineWriter() {
            @Override
            public void write(BillingLine line, Instant periodStart, Instant periodEnd) throws IOException {
                printer.printRecord(values(line, periodStart, periodEnd));
            }

            @Override
            public void close() throws IOException {
                printer.close(true);
            }
        };
    }

    private static boolean isDecimal(String column) {
        return column.equals("cpus") || column.endsWith("_hours") || column.endsWith("_gib") || column.endsWith("_cost")
                || column.equals("cost");
    }

    interface LineWriter extends AutoCloseable {
        void write(BillingLine line, Instant periodStart, Instant periodEnd) throws IOException;

        @Override
        void close() throws IOException;
    }
}
