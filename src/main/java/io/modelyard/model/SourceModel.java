package io.modelyard.model;

/**
 * A registered model as a job that builds on it sees it.
 *
 * @param artifactKey    where its artifact is in the blob store
 * @param artifactSha256 the artifact's digest, checked when it is read
 */
public record SourceModel(ModelView model, String artifactKey, String artifactSha256) {
}
