package io.corral.panel.forward;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.corral.panel.common.StrictInteger;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One port forward as the API reads and writes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "What reaches the server's host on protocol and hostPort from outside is sent on to the server's serverPort")
public record PortForward(
        @Schema(enumeration = {"tcp", "udp"}, required = true) String protocol,
        @Schema(description = "The host's port, within the panel's range for forwards (20000-29999 unless configured otherwise); "
                + "absent on a change: the panel picks the lowest free one; a JSON integer (not text, not a fraction)", examples = "20022")
        @JsonDeserialize(using = StrictInteger.class) Integer hostPort,
        @Schema(description = "The server's port, 1-65535; a JSON integer (not text, not a fraction)", required = true, examples = "22")
        @JsonDeserialize(using = StrictInteger.class) Integer serverPort) {

    /** The protocol and host port, which one forward of a host has at most. */
    String key() {
        return protocol + " " + hostPort;
    }
}
