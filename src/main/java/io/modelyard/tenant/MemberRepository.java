package io.modelyard.tenant;

import io.modelyard.common.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Members of the current tenant (the ORM and row-level security both restrict to it). */
@ApplicationScoped
class MemberRepository implements PanacheRepositoryBase<Member, String> {

    Optional<Member> findMember(String id) {
        return find("id", id).firstResultOptional();
    }

    Optional<Member> findBySubject(String subject) {
        return find("subject", subject).firstResultOptional();
    }

    boolean emailTaken(String email) {
        return count("email", email) > 0;
    }

    long countOwners() {
        return count("role = ?1 and status = ?2", MemberRole.OWNER, Member.Status.ACTIVE);
    }

    List<Member> page(PageRequest page) {
        String after = page.after("mem");
        var query = after == null
                ? find("order by id desc")
                : find("id < ?1 order by id desc", after);
        return query.page(0, page.limit() + 1).list();
    }
}
