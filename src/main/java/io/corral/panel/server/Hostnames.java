package io.corral.panel.server;

/** RFC 1123 host names, as the agent checks them too. */
final class Hostnames {
    static final String RFC1123 = "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*";
    static final String RULE = "must be an RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens";

    private Hostnames() {
    }
}
