package io.corral.panel.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ForwardRangeCheckTest {
    @Test
    void aRangeInOrderPassesAndOneUpsideDownIsNamedWithBothSettings() {
        assertNull(ForwardRangeCheck.broken(20000, 29999));
        assertNull(ForwardRangeCheck.broken(20000, 20000), "one port is a range");
        assertEquals("corral.forwards.first-host-port (29999) is above corral.forwards.last-host-port (20000): the host ports for "
                + "forwards go from the first to the last, so none could be handed out", ForwardRangeCheck.broken(29999, 20000));
    }
}
