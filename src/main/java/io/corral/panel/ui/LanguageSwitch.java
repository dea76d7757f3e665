package io.corral.panel.ui;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The header's language switch: the choice is kept for the user, and the page they were on is shown again in it. */
@Path("/language")
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class LanguageSwitch {
    @Inject
    Language language;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response choose(@FormParam("language") String chosen, @HeaderParam("Referer") String referer) {
        String page = back(referer);
        try {
            language.choose(chosen);
        } catch (DomainException e) {
            return Redirects.withError(page, language.refusal(e));
        }
        return Redirects.to(page);
    }

    /**
     * The page the switch was on, as a path of this panel (only its path and query are taken, less the refusal or notice
     * it showed once); the servers without one.
     */
    static String back(String referer) {
        try {
            URI from = new URI(referer == null ? "" : referer);
            String path = from.getRawPath();
            if (path == null || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/language")) {
                return "/servers";
            }
            String query = from.getRawQuery() == null ? "" : Arrays.stream(from.getRawQuery().split("&"))
                    .filter(p -> !p.startsWith("error=") && !p.startsWith("notice=")).collect(Collectors.joining("&"));
            return query.isEmpty() ? path : path + "?" + query;
        } catch (URISyntaxException e) {
            return "/servers";
        }
    }
}
