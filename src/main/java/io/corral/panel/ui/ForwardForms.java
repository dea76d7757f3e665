package io.corral.panel.ui;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.corral.panel.forward.ForwardService;
import io.corral.panel.forward.PortForward;
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
 * The port forwards section of a server's page: each form changes the forwards as they are now (adds one,
 * removes one) and saves them whole through the same service as the API.
 */
@Path("/servers/{id}/forwards")
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class ForwardForms {
    @Inject
    ForwardService forwards;
    @Inject
    Language language;

    /** hostPort: empty for the panel to pick a free one. */
    @POST
    public Response add(@PathParam("id") long id, @FormParam("protocol") String protocol, @FormParam("hostPort") String hostPort,
                        @FormParam("serverPort") String serverPort) {
        return change(id, list -> {
            List<PortForward> all = new ArrayList<>(list);
            all.add(new PortForward(protocol, port("forwards[" + list.size() + "].hostPort", hostPort),
                    port("forwards[" + list.size() + "].serverPort", serverPort)));
            return all;
        });
    }

    /** The forward the page showed comes with the form: a page shown before another change removes nothing else. */
    @POST
    @Path("remove")
    public Response remove(@PathParam("id") long id, @FormParam("protocol") String protocol, @FormParam("hostPort") int hostPort,
                           @FormParam("serverPort") int serverPort) {
        PortForward shown = new PortForward(protocol, hostPort, serverPort);
        return change(id, list -> {
            if (!list.contains(shown)) {
                throw DomainException.invalid("forwards", r -> r.forward_form_gone(protocol, hostPort, serverPort));
            }
            List<PortForward> all = new ArrayList<>(list);
            all.remove(shown);
            return all;
        });
    }

    /** A port typed in the form, or null when left empty. */
    private static Integer port(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (!text.strip().matches("[0-9]{1,5}")) {
            throw DomainException.invalid(field, r -> r.forward_form_port(field, text.strip()));
        }
        return Integer.parseInt(text.strip());
    }

    private Response change(long id, UnaryOperator<List<PortForward>> change) {
        String page = "/servers/" + id;
        try {
            forwards.change(id, change, null);
        } catch (DomainException e) {
            if (e.kind() == DomainException.Kind.NOT_FOUND) {
                throw e;
            }
            return Redirects.withError(page, language.refusal(e));
        }
        return Redirects.to(page + "?notice=forwards#forwards");
    }
}
