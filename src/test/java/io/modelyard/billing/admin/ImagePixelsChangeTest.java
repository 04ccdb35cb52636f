package io.modelyard.billing.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.JsonConfiguration;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** A plan PATCH tells "left out" (unchanged) from null (the platform's default) for the image pixel bound. */
class ImagePixelsChangeTest {

    private final ObjectMapper json = new ObjectMapper();

    ImagePixelsChangeTest() {
        new JsonConfiguration().customize(json);
    }

    @Test
    void leftOutNullAndANumberAreThreeChanges() throws Exception {
        assertEquals(BillingRequests.ImagePixelsChange.UNCHANGED,
                read("{\"base_price\": 1}").maxImagePixelsPerRequest());
        assertEquals(BillingRequests.ImagePixelsChange.to(null),
                read("{\"max_image_pixels_per_request\": null}").maxImagePixelsPerRequest());
        assertEquals(BillingRequests.ImagePixelsChange.to(new BigDecimal("5000")),
                read("{\"max_image_pixels_per_request\": 5000}").maxImagePixelsPerRequest());
        assertEquals(BillingRequests.ImagePixelsChange.to(new BigDecimal("1.5")),
                read("{\"max_image_pixels_per_request\": 1.5}").maxImagePixelsPerRequest());
    }

    private BillingRequests.UpdatePlan read(String body) throws Exception {
        return json.readValue(body, BillingRequests.UpdatePlan.class);
    }
}
