package io.corral.panel.ui;

import io.quarkus.qute.TemplateExtension;

/** Shares (0.2) as the pages show them: whole percent (20). */
@TemplateExtension
final class Shares {
    private Shares() {
    }

    static String percent(double share) {
        return String.format(java.util.Locale.ROOT, "%.0f", share * 100);
    }
}
