package io.modelyard.tenant;

import java.time.Instant;

/** @param subject the member's Keycloak user id; null while the invitation is pending */
public record MemberView(String id, String object, String email, String displayName, MemberRole role,
        Member.Status status, String subject, Instant createdAt, Instant updatedAt) {

    static MemberView of(Member m) {
        return new MemberView(m.id(), "member", m.email(), m.displayName(), m.role(), m.status(), m.subject(),
                m.createdAt(), m.updatedAt());
    }
}
