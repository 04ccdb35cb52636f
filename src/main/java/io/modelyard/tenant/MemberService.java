package io.modelyard.tenant;

import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.modelyard.common.TypedId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.util.Locale;
import java.util.Map;

/**
 * Members of the current tenant. Owners and admins invite, re-role and remove; only owners touch owners; a
 * tenant always keeps at least one owner. Changes take the tenant row's lock, so two owners demoting each
 * other at once cannot leave the tenant ownerless. A lowered role or a removal is announced as a
 * {@link MemberAccessChanged}, so the person's API keys shrink with them in the same transaction.
 */
@ApplicationScoped
public class MemberService {

    private final MemberRepository members;
    private final TenantRepository tenants;
    private final TenantContext context;
    private final Event<TenantActivity> activity;
    private final Idempotency idempotency;
    private final PlatformClock clock;
    private final Event<MemberAccessChanged> accessChanges;

    MemberService(MemberRepository members, TenantRepository tenants, TenantContext context,
            Event<TenantActivity> activity, Idempotency idempotency, PlatformClock clock,
            Event<MemberAccessChanged> accessChanges) {
        this.members = members;
        this.tenants = tenants;
        this.context = context;
        this.activity = activity;
        this.idempotency = idempotency;
        this.clock = clock;
        this.accessChanges = accessChanges;
    }

    @Transactional
    public Page<MemberView> list(PageRequest page) {
        context.require(Permission.READ);
        return Page.of(members.page(page), page, Member::id, MemberView::of);
    }

    @Transactional
    public MemberView get(String id) {
        context.require(Permission.READ);
        return members.findMember(id).map(MemberView::of).orElseThrow(() -> ProblemException.notFound("member", id));
    }

    @Transactional
    public Idempotency.Outcome<MemberView> invite(TenantRequests.InviteMember request, String idempotencyKey) {
        String tenantId = context.require(Permission.ADMIN);
        return idempotency.once(tenantId, idempotencyKey, "invite_member", request, MemberView.class, () -> {
            if (request.role() == MemberRole.OWNER) {
                requireOwner("Only an owner can invite another owner.");
            }
            tenants.lock(tenantId);
            String email = request.email().strip().toLowerCase(Locale.ROOT);
            if (members.emailTaken(email)) {
                throw ProblemException.conflict("member-exists", "A member with email " + email + " already exists.");
            }
            Member member = Member.invited(TypedId.generate("mem"), email, request.role(),
                    context.actor().reference(), clock.now());
            members.persist(member);
            activity.fire(TenantActivity.onMember(context.requireTenant(), "member.invited", member.id(),
                    Map.of("email", email, "role", roleName(request.role()))));
            return MemberView.of(member);
        }, view -> view);
    }

    @Transactional
    public MemberView changeRole(String id, TenantRequests.UpdateMember request) {
        String tenantId = context.require(Permission.ADMIN);
        tenants.lock(tenantId);
        Member member = members.findMember(id).orElseThrow(() -> ProblemException.notFound("member", id));
        MemberRole before = member.role();
        if (before == request.role()) {
            return MemberView.of(member);
        }
        if (before == MemberRole.OWNER || request.role() == MemberRole.OWNER) {
            requireOwner("Only an owner can make or unmake owners.");
        }
        if (before == MemberRole.OWNER && member.status() == Member.Status.ACTIVE && members.countOwners() == 1) {
            throw lastOwner();
        }
        member.changeRole(request.role(), clock.now());
        activity.fire(TenantActivity.onMember(context.requireTenant(), "member.role_changed", id,
                Map.of("from", roleName(before), "to", roleName(request.role()))));
        if (member.subject() != null) {
            accessChanges.fire(new MemberAccessChanged(tenantId, "user:" + member.subject(), request.role()));
        }
        return MemberView.of(member);
    }

    /** Removes a member; admins remove anyone but owners, owners anyone, and anyone may leave. */
    @Transactional
    public void remove(String id) {
        String tenantId = context.requireTenant();
        tenants.lock(tenantId);
        Member member = members.findMember(id).orElseThrow(() -> ProblemException.notFound("member", id));
        boolean leaving = member.subject() != null && member.subject().equals(context.subject().orElse(null));
        if (!leaving) {
            context.require(Permission.ADMIN);
            if (member.role() == MemberRole.OWNER) {
                requireOwner("Only an owner can remove an owner.");
            }
        }
        if (member.role() == MemberRole.OWNER && member.status() == Member.Status.ACTIVE
                && members.countOwners() == 1) {
            throw lastOwner();
        }
        members.delete(member);
        String action = leaving ? "member.left" : "member.removed";
        activity.fire(TenantActivity.onMember(context.requireTenant(), action, id,
                Map.of("email", String.valueOf(member.email()), "role", roleName(member.role()))));
        if (member.subject() != null) {
            accessChanges.fire(new MemberAccessChanged(tenantId, "user:" + member.subject(), null));
        }
    }

    private void requireOwner(String detail) {
        if (context.actor().role() != MemberRole.OWNER) {
            throw ProblemException.forbidden("insufficient-role", detail);
        }
    }

    private static ProblemException lastOwner() {
        return ProblemException.conflict("last-owner",
                "A tenant must keep at least one owner: make someone else an owner first.");
    }

    private static String roleName(MemberRole role) {
        return role.name().toLowerCase(Locale.ROOT);
    }
}
