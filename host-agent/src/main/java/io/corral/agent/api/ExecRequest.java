package io.corral.agent.api;

import java.util.List;

/** A command to run inside a server, with how long it may take (default 60 s). */
record ExecRequest(List<String> command, Integer timeoutSeconds) {
}
