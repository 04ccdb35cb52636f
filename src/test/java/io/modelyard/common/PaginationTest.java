package io.modelyard.common;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelyard.testing.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PaginationTest {

    @Test
    void listsAreCursorPagedNewestFirstWithoutGapsOrRepeats() {
        TestTenant tenant = TestTenant.signUp("Paged");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(0, tenant.owner().api().body(Map.of("name", "k" + i, "scopes", List.of("read")))
                    .post("/v1/api-keys").then().statusCode(201).extract().path("id"));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var page = tenant.owner().api().queryParam("limit", 2)
                    .queryParam("after", cursor == null ? "" : cursor)
                    .get("/v1/api-keys").then().statusCode(200)
                    .body("object", equalTo("list")).extract();
            seen.addAll(page.path("data.id"));
            cursor = page.path("next_cursor");
            assertEquals(cursor != null, (boolean) page.path("has_more"));
        } while (cursor != null);
        assertEquals(created, seen);

        tenant.owner().api().get("/v1/api-keys?limit=100").then().body("data", hasSize(5))
                .body("has_more", equalTo(false)).body("next_cursor", nullValue());
    }

    @Test
    void badPagingParametersAreRefused() {
        TestTenant tenant = TestTenant.signUp("Bad paging");
        for (String limit : List.of("0", "101", "-1", "ten")) {
            assertProblem(tenant.owner().api().get("/v1/api-keys?limit=" + limit), 400, "validation-failed")
                    .body("errors[0].field", equalTo("limit"));
        }
        assertProblem(tenant.owner().api().get("/v1/api-keys?after=mem_00000000000000000000000000"), 400,
                "validation-failed").body("errors[0].field", equalTo("after"));
    }
}
