package io.corral.panel.forward;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The host ports for forwards in order, checked at start: a first port above the last leaves no port to
 * pick, which would show only as a refusal when a customer asked for a forward. (Each port's own bounds
 * are ForwardConfig's constraints; a rule between two settings is not one a config mapping can state.)
 */
@ApplicationScoped
class ForwardRangeCheck {
    @Inject
    ForwardConfig range;

    void check(@Observes StartupEvent start) {
        String broken = broken(range.firstHostPort(), range.lastHostPort());
        if (broken != null) {
            throw new IllegalStateException("the panel does not start: " + broken);
        }
    }

    /** What is wrong with the range, naming both settings; null when nothing is. */
    static String broken(int first, int last) {
        return first <= last ? null : "corral.forwards.first-host-port (" + first + ") is above corral.forwards.last-host-port (" + last
                + "): the host ports for forwards go from the first to the last, so none could be handed out";
    }
}
