package io.corral.panel.common;

import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * ?page=0&size=50 on every list. Taken as text and read here, so a value that is no number, or too
 * large for one, is refused naming the parameter (a JAX-RS int would answer 404 for it).
 */
public class PageRequest {
    @QueryParam("page")
    @Parameter(description = "Page number, from 0", schema = @Schema(type = SchemaType.INTEGER, minimum = "0",
            maximum = "2147483647", defaultValue = "0"))
    String page;

    @QueryParam("size")
    @Parameter(description = "Items per page, 1 to " + Page.MAX_SIZE, schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
            maximum = "" + Page.MAX_SIZE, defaultValue = "50"))
    String size;

    public static PageRequest of(int page, int size) {
        PageRequest r = new PageRequest();
        r.page = Integer.toString(page);
        r.size = Integer.toString(size);
        return r;
    }

    public int page() {
        return (int) QueryParams.whole("page", page, 0, 0, Integer.MAX_VALUE);
    }

    public int size() {
        return (int) QueryParams.whole("size", size, 50, 1, Page.MAX_SIZE);
    }

    /** Where the page starts; a page that starts further than any list reaches is empty. */
    long offset() {
        return (long) page() * size();
    }

    /** Whether a database query can still be asked for the page and one row more: it ends within an int's range. */
    boolean reachable() {
        return offset() + size() <= Integer.MAX_VALUE;
    }
}
