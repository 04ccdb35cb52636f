package io.modelyard.serving;

import io.modelyard.billing.metering.ChargedOnSuccess;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/models/{id_or_alias}/predict")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "predictions", description = "Online predictions")
public class PredictionResource {

    private final PredictionService predictions;
    private final ServingConfig config;

    PredictionResource(PredictionService predictions, ServingConfig config) {
        this.predictions = predictions;
        this.config = config;
    }

    @POST
    @ChargedOnSuccess
    @Operation(summary = "Predict: labels and class probabilities (or values) for a list of inputs, in order")
    @RequestBody(content = @Content(examples = {
            @ExampleObject(name = "text", value = "{\"inputs\": [\"Great service, fast delivery\", "
                    + "\"The parcel never arrived\"], \"top_k\": 2, \"explain\": true}"),
            @ExampleObject(name = "tabular", value = "{\"inputs\": [{\"income\": 52000, \"debt\": 31000, "
                    + "\"region\": \"north\"}]}")}))
    @APIResponse(responseCode = "200", description = "One prediction per input, in input order",
            content = @Content(examples = @ExampleObject(name = "text", value = "{\"id\": \"prd_01jd7x9k2m3n4p5q6r7s8t9v0w\","
                    + " \"object\": \"prediction_list\", \"model_id\": \"mdl_01jd7x9k2m3n4p5q6r7s8t9v0w\","
                    + " \"model_name\": \"reviews\", \"model_version\": 3, \"task\": \"text_classification\","
                    + " \"data\": [{\"index\": 0, \"label\": \"positive\", \"top_k\": [{\"label\": \"positive\","
                    + " \"probability\": 0.97}, {\"label\": \"negative\", \"probability\": 0.03}]}],"
                    + " \"usage\": {\"predictions\": 1}}")))
    @APIResponse(responseCode = "400", description = "Invalid input (errors[].field names the input), or input "
            + "that does not fit the model's task (task-mismatch)")
    @APIResponse(responseCode = "401", description = "No or invalid credentials")
    @APIResponse(responseCode = "403", description = "The API key lacks the predict scope, or the role does not "
            + "allow predictions")
    @APIResponse(responseCode = "404", description = "No such model or alias in this tenant (or deleted)")
    @APIResponse(responseCode = "413", description = "Too many inputs, a text or an image over its size limit, or"
            + " more image pixels than the plan allows per request (image-pixels-over-plan)")
    @APIResponse(responseCode = "503", description = "The model is still loading (Retry-After), or no worker "
            + "answered")
    public PredictionList predict(
            @Parameter(description = "A model id (mdl_...) or an alias such as production")
            @PathParam("id_or_alias") String idOrAlias,
            @Parameter(description = "wait=<seconds>: answer 503 rather than wait longer for a model to load")
            @HeaderParam("Prefer") List<String> prefer,
            PredictRequest request) {
        if (request == null) {
            throw io.modelyard.common.ProblemException.invalidField("inputs", "is required");
        }
        return predictions.predict(idOrAlias, request, predictions.loadWait(prefer));
    }

    @POST
    @ChargedOnSuccess
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Predict on image files sent as multipart/form-data: one 'image' part per input, in "
            + "order; optional 'top_k' and 'explain' fields")
    @APIResponse(responseCode = "200", description = "One prediction per image part, in order")
    @APIResponse(responseCode = "400", description = "Malformed multipart, an unknown part, no image part, or a "
            + "part that is not a readable image")
    @APIResponse(responseCode = "404", description = "No such model or alias in this tenant (or deleted)")
    @APIResponse(responseCode = "413", description = "An image over max-image-bytes, more images than max-inputs, "
            + "or more than max-multipart-bytes in all")
    public PredictionList predictImages(
            @PathParam("id_or_alias") String idOrAlias,
            @HeaderParam("Prefer") List<String> prefer,
            @HeaderParam("Content-Type") String contentType,
            InputStream body) {
        return predictions.predictImages(idOrAlias, ImageParts.read(body, contentType, config),
                predictions.loadWait(prefer));
    }
}
