package io.modelyard.testing;

import io.restassured.specification.RequestSpecification;

/** Uploads through the real datasets API, as a tenant would. */
public final class Datasets {

    private Datasets() {
    }

    /** Uploads a CSV and returns the id of its first processed version. */
    public static String upload(RequestSpecification as, String name, String task, String csv, String... params) {
        RequestSpecification request = as.contentType("text/csv").queryParam("name", name).queryParam("task", task);
        for (int i = 0; i + 1 < params.length; i += 2) {
            request = request.queryParam(params[i], params[i + 1]);
        }
        return request.body(csv).post("/v1/datasets").then().statusCode(201).extract().path("latest_version.id");
    }
}
