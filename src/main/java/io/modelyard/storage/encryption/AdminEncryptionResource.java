package io.modelyard.storage.encryption;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.modelyard.tenant.TenantResolutionFilter;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/admin/encryption")
@RolesAllowed(TenantResolutionFilter.OPERATOR_ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Platform operators only")
public class AdminEncryptionResource {

    private final MasterKeyRotation rotation;

    AdminEncryptionResource(MasterKeyRotation rotation) {
        this.rotation = rotation;
    }

    @POST
    @Path("/rotate")
    @Operation(summary = "Re-wrap every tenant's data key with the master key's current primary key",
            description = "Run after making a new key primary in the master keyset; blobs are not re-encrypted."
                    + " Safe to repeat: keys already under the primary are left alone.")
    @APIResponse(responseCode = "200", description = "How many data keys were re-wrapped")
    @APIResponse(responseCode = "403", description = "Not a platform operator")
    public RotationView rotate() {
        MasterKeyRotation.Result result = rotation.rotate();
        return new RotationView("master_key_rotation", result.rewrapped(), result.masterKeyId());
    }

    /** The answer to a rotation. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RotationView(String object, int rewrapped, String masterKeyId) {
    }
}
