package io.corral.panel.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** How a command the agent ran inside a server ended, and what it wrote. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExecOutput(int exitCode, String stdout, String stderr, boolean timedOut) {
}
