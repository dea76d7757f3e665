package io.corral.panel.host;

import java.math.BigDecimal;
import java.util.List;

/**
 * What choosing a host reads of one: its size as its agent said it (null until then), its overcommit ratios and its
 * templates. A value, not a managed entity: placement reads 5,000 of them, and Hibernate looked at every managed host
 * again before each statement after (a JFR recording of orders under bench/scale.sh's load, bench/RESULTS.md).
 */
public record HostSize(Long id, Long memoryMib, Integer cores, Long diskMib, BigDecimal memoryOvercommit, BigDecimal cpuOvercommit,
                       String templateNames) {
    public static HostSize of(Host h) {
        return new HostSize(h.id, h.memoryMib, h.cores, h.diskMib, h.memoryOvercommit, h.cpuOvercommit, h.templateNames);
    }

    /** Whether its agent has said its size. */
    public boolean sized() {
        return memoryMib != null && cores != null && diskMib != null;
    }

    /** The templates new servers can be made from here: those its agent said it has installed. */
    public List<String> templates() {
        return templatesIn(templateNames);
    }

    static List<String> templatesIn(String names) {
        return names == null || names.isEmpty() ? List.of() : List.of(names.split(" "));
    }

    /** The templates of these hosts, each once, in name order. */
    public static List<String> templatesOf(List<HostSize> hosts) {
        return hosts.stream().flatMap(h -> h.templates().stream()).distinct().sorted().toList();
    }
}
