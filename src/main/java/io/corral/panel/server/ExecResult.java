package io.corral.panel.server;

import io.corral.panel.agent.ExecOutput;

/** How a command run in a server ended: its exit code (124 when it timed out) and what it wrote. */
public record ExecResult(int exitCode, String stdout, String stderr, boolean timedOut) {
    static ExecResult of(ExecOutput o) {
        return new ExecResult(o.exitCode(), o.stdout(), o.stderr(), o.timedOut());
    }
}
