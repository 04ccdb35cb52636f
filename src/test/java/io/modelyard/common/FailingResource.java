package io.modelyard.common;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Test fixture: an endpoint that fails the way a bug would, to check what clients get back. */
@Path("/v1/test-fixtures/failure")
public class FailingResource {

    @GET
    public String fail() {
        throw new IllegalStateException("secret detail io.modelyard.internal.Thing at line 42");
    }
}
