package io.modelyard.tenant;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.modelyard.testing.Keycloak;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each role can do exactly what it should. */
@QuarkusTest
class MemberRolesTest {

    @Test
    void anInvitationIsBoundWhenTheInviteeLogsInWithThatVerifiedEmail() {
        TestTenant tenant = TestTenant.signUp("Inviting");
        TestUser dana = Keycloak.newUser("dana");
        String id = tenant.owner().api().body(Map.of("email", dana.email().toUpperCase(), "role", "member"))
                .post("/v1/members")
                .then().statusCode(201)
                .body("status", equalTo("invited"))
                .body("email", equalTo(dana.email()))
                .body("subject", nullValue())
                .extract().path("id");

        dana.api().get("/v1/tenants").then().statusCode(200)
                .body("data", hasSize(1))
                .body("data[0].id", equalTo(tenant.id()))
                .body("data[0].role", equalTo("member"));
        tenant.owner().api().get("/v1/members/" + id).then().statusCode(200)
                .body("status", equalTo("active"))
                .body("subject", equalTo(dana.subject()));
        assertProblem(tenant.owner().api().body(Map.of("email", dana.email(), "role", "viewer"))
                .post("/v1/members"), 409, "member-exists");
    }

    @Test
    void aViewerReadsButCannotCreateKeysOrChangeAnything() {
        TestTenant tenant = TestTenant.signUp("Viewing");
        TestUser viewer = tenant.addMember("viewer");
        viewer.api().get("/v1/members").then().statusCode(200);
        viewer.api().get("/v1/api-keys").then().statusCode(200);
        assertProblem(viewer.api().body(Map.of("name", "mine", "scopes", List.of("read"))).post("/v1/api-keys"),
                403, "insufficient-role");
        assertProblem(viewer.api().body(Map.of("name", "Mine now")).patch("/v1/tenants/" + tenant.id()),
                403, "insufficient-role");
        assertProblem(viewer.api().get("/v1/audit-events"), 403, "insufficient-role");
    }

    @Test
    void aMemberCreatesKeysWithinTheirOwnRightsButCannotManageMembers() {
        TestTenant tenant = TestTenant.signUp("Membering");
        TestUser member = tenant.addMember("member");
        member.api().body(Map.of("name", "ci", "scopes", List.of("read", "datasets:write", "jobs:write", "predict")))
                .post("/v1/api-keys").then().statusCode(201);
        assertProblem(member.api().body(Map.of("name", "root", "scopes", List.of("admin"))).post("/v1/api-keys"),
                403, "scope-not-grantable");
        assertProblem(member.api().body(Map.of("email", "x@example.com", "role", "viewer")).post("/v1/members"),
                403, "insufficient-role");
        String ownerId = tenant.owner().api().get("/v1/members").then().extract()
                .path("data.find { it.role == 'owner' }.id");
        assertProblem(member.api().body(Map.of("role", "viewer")).patch("/v1/members/" + ownerId),
                403, "insufficient-role");
        assertProblem(member.api().delete("/v1/members/" + ownerId), 403, "insufficient-role");
    }

    @Test
    void anAdminManagesMembersButOnlyOwnersTouchOwners() {
        TestTenant tenant = TestTenant.signUp("Administering");
        TestUser admin = tenant.addMember("admin");
        String memberId = admin.api().body(Map.of("email", "newbie@example.com", "role", "viewer"))
                .post("/v1/members").then().statusCode(201).extract().path("id");
        admin.api().body(Map.of("role", "member")).patch("/v1/members/" + memberId)
                .then().statusCode(200).body("role", equalTo("member"));
        assertProblem(admin.api().body(Map.of("role", "owner")).patch("/v1/members/" + memberId),
                403, "insufficient-role");
        assertProblem(admin.api().body(Map.of("email", "boss@example.com", "role", "owner")).post("/v1/members"),
                403, "insufficient-role");
        admin.api().delete("/v1/members/" + memberId).then().statusCode(204);
        admin.api().get("/v1/members").then().body("data.id", not(hasItem(memberId)));
        admin.api().body(Map.of("name", "Administered")).patch("/v1/tenants/" + tenant.id()).then().statusCode(200);

        // Each change is in the audit log once; the refused promotion left nothing there.
        tenant.owner().api().get("/v1/audit-events?target_id=" + memberId + "&limit=100").then().statusCode(200)
                .body("data.action", contains("member.removed", "member.role_changed", "member.invited"))
                .body("data[1].details.from", equalTo("viewer"))
                .body("data[1].details.to", equalTo("member"))
                .body("data.actor.id", everyItem(equalTo(admin.subject())));
    }

    @Test
    void theLastOwnerCannotBeRemovedOrDemotedButOwnershipCanBeHandedOver() {
        TestTenant tenant = TestTenant.signUp("Owning");
        String ownerId = tenant.owner().api().get("/v1/members").then().extract().path("data[0].id");
        assertProblem(tenant.owner().api().body(Map.of("role", "admin")).patch("/v1/members/" + ownerId),
                409, "last-owner");
        assertProblem(tenant.owner().api().delete("/v1/members/" + ownerId), 409, "last-owner");

        TestUser heir = tenant.addMember("admin");
        String heirId = tenant.owner().api().get("/v1/members").then().extract()
                .path("data.find { it.email == '" + heir.email() + "' }.id");
        tenant.owner().api().body(Map.of("role", "owner")).patch("/v1/members/" + heirId)
                .then().statusCode(200).body("role", equalTo("owner"));
        // Two owners now: the founder may leave.
        tenant.owner().api().delete("/v1/members/" + ownerId).then().statusCode(204);
        assertProblem(tenant.owner().api().get("/v1/members"), 403, "no-tenant");
        assertProblem(heir.api().delete("/v1/members/" + heirId), 409, "last-owner");
    }

    @Test
    void invalidMemberRequestsNameTheField() {
        TestTenant tenant = TestTenant.signUp("Validating");
        assertProblem(tenant.owner().api().body(Map.of("email", "not-an-email", "role", "member"))
                .post("/v1/members"), 400, "validation-failed").body("errors[0].field", equalTo("email"));
        assertProblem(tenant.owner().api().body(Map.of("email", "a@example.com", "role", "emperor"))
                .post("/v1/members"), 400, "validation-failed").body("errors[0].field", equalTo("role"));
        assertProblem(tenant.owner().api().body(Map.of("email", "a@example.com")).post("/v1/members"),
                400, "validation-failed").body("errors[0].field", equalTo("role"));
    }
}
