package io.corral.agent.server;

import io.corral.agent.sys.Sys;

/** A server's network namespace: for now only loopback, brought up when the namespace is made. */
final class Network {
    private Network() {
    }

    /** On the boot thread, after unshare(CLONE_NEWNET): the new namespace's lo is down until set up. */
    static void loopbackUp() {
        Sys.setInterfaceUp("lo");
    }
}
