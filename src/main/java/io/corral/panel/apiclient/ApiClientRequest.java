package io.corral.panel.apiclient;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** What a tenant's owner calls a new API client, to tell it from the others later (e.g. "deploy script"). */
public record ApiClientRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String name) {
}
