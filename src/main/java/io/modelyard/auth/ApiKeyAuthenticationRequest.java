package io.modelyard.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token that has the shape of one of our API keys. */
final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String key;

    ApiKeyAuthenticationRequest(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }
}
