package io.corral.panel.host;

import io.corral.panel.common.QueryParams;
import io.quarkus.panache.common.Parameters;
import jakarta.ws.rs.QueryParam;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** ?q=&status= on the host list; each given narrows it. Read here, so a bad value is refused naming its parameter. */
public class HostSearch {
    static final int LONGEST = 100;

    @QueryParam("q")
    @Parameter(description = "Part of the host's name, in any case (up to " + LONGEST + " characters)")
    String q;

    @QueryParam("status")
    @Parameter(description = "The host's status", schema = @Schema(type = SchemaType.STRING, enumeration = {"up", "down", "draining"}))
    String status;

    public String q() {
        return QueryParams.text("q", q, LONGEST);
    }

    public Host.Status status() {
        return QueryParams.oneOf("status", status, Host.Status.class);
    }

    /** The search as query parameters, for links to the list's other pages (absent ones null). */
    public Map<String, String> query() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("q", q());
        query.put("status", status() == null ? null : status().name());
        return query;
    }

    public List<Host.Status> statuses() {
        return List.of(Host.Status.values());
    }

    /** The condition on Host in JPQL ("1 = 1" for all), its parameters put into parameters. */
    String condition(Parameters parameters) {
        StringBuilder jpql = new StringBuilder("1 = 1");
        if (q() != null) {
            jpql.append(" and lower(name) like :q escape '\\'");
            parameters.and("q", QueryParams.containing(q().toLowerCase(Locale.ROOT)));
        }
        if (status() != null) {
            jpql.append(" and status = :status");
            parameters.and("status", status());
        }
        return jpql.toString();
    }
}
