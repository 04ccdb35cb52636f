package io.modelyard.serving.oip;

import io.modelyard.billing.metering.ChargedOnSuccess;
import io.modelyard.common.ProblemException;
import io.modelyard.serving.PredictionService;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The Open Inference Protocol, REST (KServe v2, as Triton speaks it): existing inference clients work
 * unchanged. Errors are problem+json that also carry the protocol's {@code error} member ({@link OipErrors}).
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "inference-protocol", description = "Open Inference Protocol (KServe v2 REST)")
public class InferenceProtocolResource {

    private final InferenceProtocolService protocol;
    private final PredictionService predictions;

    InferenceProtocolResource(InferenceProtocolService protocol, PredictionService predictions) {
        this.protocol = protocol;
        this.predictions = predictions;
    }

    @GET
    @PermitAll
    @Operation(summary = "Server metadata")
    @APIResponse(responseCode = "200", description = "Name, version and supported extensions (none)")
    public OipMessages.ServerMetadata server() {
        return new OipMessages.ServerMetadata("modelyard", "1.0", List.of());
    }

    @GET
    @Path("/health/live")
    @PermitAll
    @Operation(summary = "Server live: 200 with an empty body")
    @APIResponse(responseCode = "200", description = "Live")
    public Response live() {
        return Response.ok().build();
    }

    @GET
    @Path("/health/ready")
    @PermitAll
    @Operation(summary = "Server ready: 200 with an empty body when this process can take inference requests")
    @APIResponse(responseCode = "200", description = "Ready")
    @APIResponse(responseCode = "503", description = "Not ready (an api process with no worker configured)")
    public Response ready() {
        if (!protocol.serverReady()) {
            throw new ProblemException(503, "not-ready", "Service unavailable",
                    "This process cannot take inference requests: no worker is configured.");
        }
        return Response.ok().build();
    }

    @GET
    @Path("/models/{name}")
    @Authenticated
    @Operation(summary = "Model metadata: its input and output tensors (name is a model id or an alias)")
    @APIResponse(responseCode = "200", description = "The model's metadata")
    @APIResponse(responseCode = "404", description = "No such model or alias in this tenant")
    public OipMessages.ModelMetadata metadata(@PathParam("name") String name,
            @HeaderParam("Prefer") List<String> prefer) {
        return protocol.metadata(name, null, predictions.loadWait(prefer));
    }

    @GET
    @Path("/models/{name}/versions/{version}")
    @Authenticated
    @Operation(summary = "Model metadata of a version (the version the name resolves to)")
    @APIResponse(responseCode = "200", description = "The model's metadata")
    @APIResponse(responseCode = "404", description = "No such model, alias or version in this tenant")
    public OipMessages.ModelMetadata versionMetadata(@PathParam("name") String name,
            @PathParam("version") String version, @HeaderParam("Prefer") List<String> prefer) {
        return protocol.metadata(name, version, predictions.loadWait(prefer));
    }

    @GET
    @Path("/models/{name}/ready")
    @Authenticated
    @Operation(summary = "Model ready: 200 when loaded; else 503 with Retry-After, and the load starts")
    @APIResponse(responseCode = "200", description = "Loaded and ready")
    @APIResponse(responseCode = "404", description = "No such model or alias in this tenant")
    @APIResponse(responseCode = "503", description = "Loading; retry after Retry-After seconds")
    public Response modelReady(@PathParam("name") String name) {
        protocol.requireModelReady(name, null);
        return Response.ok().build();
    }

    @GET
    @Path("/models/{name}/versions/{version}/ready")
    @Authenticated
    @Operation(summary = "Model ready, for a version")
    @APIResponse(responseCode = "200", description = "Loaded and ready")
    @APIResponse(responseCode = "404", description = "No such model, alias or version in this tenant")
    @APIResponse(responseCode = "503", description = "Loading; retry after Retry-After seconds")
    public Response versionReady(@PathParam("name") String name, @PathParam("version") String version) {
        protocol.requireModelReady(name, version);
        return Response.ok().build();
    }

    @POST
    @ChargedOnSuccess
    @Path("/models/{name}/infer")
    @Authenticated
    @Operation(summary = "Inference: BYTES texts or FP32 features in, label and probabilities (or value) out")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "text", value = "{\"id\": \"42\", "
            + "\"inputs\": [{\"name\": \"text\", \"shape\": [2], \"datatype\": \"BYTES\", "
            + "\"data\": [\"Great service\", \"Never again\"]}]}")))
    @APIResponse(responseCode = "200", description = "The output tensors")
    @APIResponse(responseCode = "400", description = "Malformed tensors, invalid input, or input of another "
            + "task; the body is problem+json with an error member")
    @APIResponse(responseCode = "401", description = "No or invalid credentials")
    @APIResponse(responseCode = "403", description = "The API key lacks the predict scope")
    @APIResponse(responseCode = "404", description = "No such model or alias in this tenant")
    @APIResponse(responseCode = "413", description = "Too many inputs, a text or an image over its size limit, or"
            + " more image pixels than the plan allows per request (image-pixels-over-plan)")
    @APIResponse(responseCode = "503", description = "The model is still loading (Retry-After)")
    public OipMessages.InferResponse infer(@PathParam("name") String name,
            @HeaderParam("Prefer") List<String> prefer, OipMessages.InferRequest request) {
        return protocol.infer(name, null, request, predictions.loadWait(prefer));
    }

    @POST
    @ChargedOnSuccess
    @Path("/models/{name}/versions/{version}/infer")
    @Authenticated
    @Operation(summary = "Inference on a version (the version the name resolves to)")
    @APIResponse(responseCode = "200", description = "The output tensors")
    @APIResponse(responseCode = "400", description = "Malformed tensors or invalid input")
    @APIResponse(responseCode = "401", description = "No or invalid credentials")
    @APIResponse(responseCode = "403", description = "The API key lacks the predict scope")
    @APIResponse(responseCode = "404", description = "No such model, alias or version in this tenant")
    @APIResponse(responseCode = "413", description = "Too many inputs, a text or an image over its size limit, or"
            + " more image pixels than the plan allows per request (image-pixels-over-plan)")
    @APIResponse(responseCode = "503", description = "The model is still loading (Retry-After)")
    public OipMessages.InferResponse versionInfer(@PathParam("name") String name,
            @PathParam("version") String version, @HeaderParam("Prefer") List<String> prefer,
            OipMessages.InferRequest request) {
        return protocol.infer(name, version, request, predictions.loadWait(prefer));
    }
}
