package io.corral.agent.runtime;

/** The outcome of a command run inside a server; output beyond 1 MiB per stream is cut. */
public record ExecResult(int exitCode, String stdout, String stderr, boolean timedOut) {
}
