package io.modelyard.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Ids and aliases typed by a person go into URL paths encoded, so a stray '/' or '?' cannot change the path. */
final class Paths {

    private Paths() {
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
