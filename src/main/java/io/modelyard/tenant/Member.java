package io.modelyard.tenant;

import io.modelyard.common.LowercaseEnumConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.TenantId;

/**
 * A person's place in a tenant. Invited by email, the membership is bound to the person's Keycloak subject the
 * first time they authenticate with that verified email.
 */
@Entity
@Table(name = "members")
public class Member {

    public enum Status {
        ACTIVE, INVITED;

        @jakarta.persistence.Converter(autoApply = true)
        public static class Column extends LowercaseEnumConverter<Status> {
            public Column() {
                super(Status.class);
            }
        }
    }

    @Id
    String id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    String tenantId;

    String subject;

    @Column(nullable = false)
    String email;

    @Column(name = "display_name")
    String displayName;

    @Column(nullable = false)
    MemberRole role;

    @Convert(converter = Status.Column.class)
    @Column(nullable = false)
    Status status;

    @Column(name = "invited_by")
    String invitedBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    protected Member() {
    }

    static Member owner(String id, String subject, String email, String displayName, Instant now) {
        Member member = new Member();
        member.id = id;
        member.subject = subject;
        member.email = email;
        member.displayName = displayName;
        member.role = MemberRole.OWNER;
        member.status = Status.ACTIVE;
        member.createdAt = now;
        member.updatedAt = now;
        return member;
    }

    static Member invited(String id, String email, MemberRole role, String invitedBy, Instant now) {
        Member member = new Member();
        member.id = id;
        member.email = email;
        member.role = role;
        member.status = Status.INVITED;
        member.invitedBy = invitedBy;
        member.createdAt = now;
        member.updatedAt = now;
        return member;
    }

    void changeRole(MemberRole newRole, Instant now) {
        this.role = newRole;
        this.updatedAt = now;
    }

    public String id() {
        return id;
    }

    public String subject() {
        return subject;
    }

    public String email() {
        return email;
    }

    public String displayName() {
        return displayName;
    }

    public MemberRole role() {
        return role;
    }

    public Status status() {
        return status;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
