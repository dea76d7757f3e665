package io.corral.panel.server;

import io.corral.panel.common.QueryParams;
import jakarta.ws.rs.QueryParam;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * ?q=&tenant=&host=&state= on the server list; each given narrows it. Taken as text and read here, so a bad value is
 * refused naming its parameter.
 */
public class ServerSearch {
    static final int LONGEST = 100;

    @QueryParam("q")
    @Parameter(description = "Part of the hostname, in any case (up to " + LONGEST + " characters)")
    String q;

    @QueryParam("tenant")
    @Parameter(description = "The tenant's slug (a customer sees only their own tenant's servers whatever it says)")
    String tenant;

    @QueryParam("host")
    @Parameter(description = "The name of the host the server is placed on")
    String host;

    @QueryParam("state")
    @Parameter(description = "The server's observed state", schema = @Schema(type = SchemaType.STRING,
            enumeration = {"creating", "stopped", "running", "unknown", "failed"}))
    String state;

    public static ServerSearch of(String q, String tenant, String host, String state) {
        ServerSearch s = new ServerSearch();
        s.q = q;
        s.tenant = tenant;
        s.host = host;
        s.state = state;
        return s;
    }

    /** As given, for a form to show again (null: absent). */
    public String q() {
        return QueryParams.text("q", q, LONGEST);
    }

    public String tenant() {
        return QueryParams.text("tenant", tenant, LONGEST);
    }

    public String host() {
        return QueryParams.text("host", host, LONGEST);
    }

    public VirtualServer.Observed state() {
        return QueryParams.oneOf("state", state, VirtualServer.Observed.class);
    }

    /** The search as query parameters, for links to the list's other pages (absent ones null). */
    public Map<String, String> query() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("q", q());
        query.put("tenant", tenant());
        query.put("host", host());
        query.put("state", state() == null ? null : state().name());
        return query;
    }

    /** The states a listed server can be in (destroyed ones are not listed). */
    public List<VirtualServer.Observed> states() {
        return Arrays.stream(VirtualServer.Observed.values()).filter(s -> s != VirtualServer.Observed.destroyed).toList();
    }

    /**
     * The conditions on the server v, each starting with " and ", their parameters added to parameters. The hostname's part
     * is matched case-insensitively, its wildcards taken literally. For admins, ilike, which the trigram index (V28) answers
     * across all servers. For a customer, a form the index cannot answer: the tenant's own servers are read from its index
     * and filtered, so the time a search takes never depends on how many of other tenants' servers match it.
     */
    String conditions(List<Object> parameters, boolean admin) {
        StringBuilder sql = new StringBuilder();
        if (q() != null) {
            sql.append(admin ? " and v.hostname ilike ?" : " and lower(v.hostname) like lower(?)");
            parameters.add(QueryParams.containing(q()));
        }
        if (tenant() != null) {
            sql.append(" and v.tenant_id = (select id from tenant where slug = ?)");
            parameters.add(tenant());
        }
        if (host() != null) {
            sql.append(" and v.host_id = (select id from host where name = ?)");
            parameters.add(host());
        }
        if (state() != null) {
            sql.append(" and v.observed_state = ?");
            parameters.add(state().name());
        }
        return sql.toString();
    }
}
