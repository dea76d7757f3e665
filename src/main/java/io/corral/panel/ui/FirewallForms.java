package io.corral.panel.ui;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.firewall.Firewall;
import io.corral.panel.firewall.FirewallService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The firewall section of a server's page: each form changes the firewall as it is now (adds a rule at
 * the end, removes one, sets the default) and saves it whole through the same service as the API.
 */
@Path("/servers/{id}/firewall")
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class FirewallForms {
    @Inject
    FirewallService firewalls;
    @Inject
    Language language;

    @POST
    @Path("rules")
    public Response add(@PathParam("id") long id, @FormParam("action") String action, @FormParam("protocol") String protocol,
                        @FormParam("ports") String ports, @FormParam("source") String source) {
        return change(id, f -> {
            List<Firewall.Rule> rules = new ArrayList<>(f.rules());
            rules.add(new Firewall.Rule(action, protocol, ports, source));
            return new Firewall(f.defaultInbound(), rules);
        });
    }

    /** The rule the page showed at the position comes with the form: a page shown before another change removes nothing else. */
    @POST
    @Path("rules/{position}/remove")
    public Response remove(@PathParam("id") long id, @PathParam("position") int position, @FormParam("action") String action,
                           @FormParam("protocol") String protocol, @FormParam("ports") String ports, @FormParam("source") String source) {
        Firewall.Rule shown = new Firewall.Rule(action, protocol, blankAsNull(ports), blankAsNull(source));
        return change(id, f -> {
            if (position < 0 || position >= f.rules().size() || !f.rules().get(position).equals(shown)) {
                throw DomainException.invalid("position", r -> r.firewall_form_changed(position + 1));
            }
            List<Firewall.Rule> rules = new ArrayList<>(f.rules());
            rules.remove(position);
            return new Firewall(f.defaultInbound(), rules);
        });
    }

    @POST
    @Path("default")
    public Response setDefault(@PathParam("id") long id, @FormParam("defaultInbound") String defaultInbound) {
        return change(id, f -> new Firewall(defaultInbound, f.rules()));
    }

    private static String blankAsNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private Response change(long id, UnaryOperator<Firewall> change) {
        String page = "/servers/" + id;
        try {
            firewalls.change(id, change, null);
        } catch (DomainException e) {
            if (e.kind() == DomainException.Kind.NOT_FOUND) {
                throw e;
            }
            return Redirects.withError(page, language.refusal(e));
        }
        return Redirects.to(page + "?notice=firewall#firewall");
    }
}
