package io.corral.panel.common;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** ?page=0&size=50 on every list. */
public class PageRequest {
    @QueryParam("page") @DefaultValue("0")
    @Parameter(description = "Page number, from 0")
    int page;

    @QueryParam("size") @DefaultValue("50")
    @Parameter(description = "Items per page, 1 to 200")
    int size;

    public int page() {
        if (page < 0) {
            throw DomainException.invalid("page", "must be 0 or more");
        }
        return page;
    }

    public int size() {
        if (size < 1 || size > Page.MAX_SIZE) {
            throw DomainException.invalid("size", "must be between 1 and " + Page.MAX_SIZE);
        }
        return size;
    }

    public void setPage(int page) {
        this.page = page;
    }

    public void setSize(int size) {
        this.size = size;
    }
}
