package io.modelyard.tenant;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the tenant and member endpoints. */
public final class TenantRequests {

    private TenantRequests() {
    }

    public record CreateTenant(@NotBlank @Size(max = 100) String name) {
    }

    /** Either or both; {@code retention} replaces the tenant's retention settings as a whole. */
    public record UpdateTenant(@Size(min = 1, max = 100) @Pattern(regexp = ".*\\S.*", message = "must not be blank")
            String name, @Valid TenantRetention retention) {
    }

    public record InviteMember(@NotBlank @Email @Size(max = 254) String email, @NotNull MemberRole role) {
    }

    public record UpdateMember(@NotNull MemberRole role) {
    }

    public record SuspendTenant(@Size(max = 500) String reason) {
    }
}
