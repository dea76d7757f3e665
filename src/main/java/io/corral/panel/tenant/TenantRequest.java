package io.corral.panel.tenant;

import io.corral.panel.common.Text;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

public record TenantRequest(
        @NotBlank @Size(max = 200) @Pattern(regexp = Text.LINE, message = Text.LINE_RULE) String name,
        @NotNull @Pattern(regexp = "[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?", message = "{corral.slug}") String slug,
        @NotNull Long planId,
        @Schema(description = "The owner's e-mail: required when creating a tenant (the owner's user is made in Keycloak), ignored on updates")
        @Email @Size(max = 200) @Pattern(regexp = PERSON, message = PERSON_RULE) String ownerEmail) {
    /** Keycloak names service accounts service-account-CLIENT: a person's e-mail (their username) must not look like one. */
    static final String PERSON = "(?i)(?!service-account-).*";
    /** In ValidationMessages: in the page's language on a page, English from the API. */
    static final String PERSON_RULE = "{corral.person}";
}
