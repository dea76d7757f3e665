package io.corral.panel.apiclient;

import io.corral.panel.common.Text;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** What a tenant's owner calls a new API client, to tell it from the others later (e.g. "deploy script"). */
public record ApiClientRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = Text.LINE, message = Text.LINE_RULE) String name) {
}
