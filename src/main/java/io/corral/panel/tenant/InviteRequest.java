package io.corral.panel.tenant;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

public record InviteRequest(@NotBlank @Email @Size(max = 200) @Pattern(regexp = TenantRequest.PERSON, message = TenantRequest.PERSON_RULE)
                            String email) {
}
