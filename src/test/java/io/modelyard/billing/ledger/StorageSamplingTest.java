package io.modelyard.billing.ledger;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.modelyard.common.PlatformClock;
import io.modelyard.testing.TestTenant;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** storage_byte_hours: once per tenant and hour, whatever the number of samples; gaps filled in. */
@QuarkusTest
class StorageSamplingTest {

    @Inject
    StorageSampler sampler;

    @Inject
    TestStorageFootprint footprint;

    @Inject
    PlatformClock clock;

    @Inject
    UsageAggregator aggregator;

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @AfterEach
    void cleanUp() {
        footprint.clear();
        clock.use(Clock.systemUTC());
    }

    @Test
    void eachHourIsChargedOnceAndMissedHoursAreFilledIn() {
        TestTenant tenant = TestTenant.signUp("Hoarder");
        TestTenant empty = TestTenant.signUp("Minimalist");
        footprint.store(tenant.id(), 1_000_000L);
        footprint.store(empty.id(), 0L);
        Ledger ledger = new Ledger(schemaOwner);

        at("2031-05-10T10:05:00Z");
        // Other tests' tenants store datasets too: at least this one is charged.
        assertTrue(sampler.sample() >= 1, "tenant-hours charged");
        at("2031-05-10T10:55:00Z");
        sampler.sample();
        sampler.sample();
        assertEquals(1, ledger.events(tenant.id(), "storage_byte_hours"), "one charge for hour 10");
        assertEquals(0, ledger.events(empty.id(), "storage_byte_hours"));

        footprint.store(tenant.id(), 3_000_000L);
        at("2031-05-10T13:20:00Z");
        sampler.sample();
        // Hours 11, 12 (missed, at the current footprint) and 13.
        assertEquals(4, ledger.events(tenant.id(), "storage_byte_hours"));
        assertEquals(0, new BigDecimal(1_000_000L + 3 * 3_000_000L)
                .compareTo(ledger.quantity(tenant.id(), "storage_byte_hours")));

        aggregator.catchUp();
        tenant.owner().api().get("/v1/usage/hourly?meter=storage_byte_hours&from=2031-05-10T00:00:00Z"
                        + "&to=2031-05-11T00:00:00Z").then().statusCode(200)
                .body("data", hasSize(4))
                .body("data[0].start", equalTo("2031-05-10T10:00:00Z"))
                .body("data[0].quantity", equalTo(1000000))
                .body("data[3].start", equalTo("2031-05-10T13:00:00Z"))
                .body("data[3].quantity", equalTo(3000000));
        // Hours 11 to 13 were written in one batch: find hour 13's event by its key, whatever the listing order.
        String hour13 = "storage_byte_hours:" + tenant.id() + ":2031-05-10T13:00:00Z";
        String event = "data.find { it.idempotency_key == '" + hour13 + "' }";
        tenant.owner().api().get("/v1/usage/events?meter=storage_byte_hours&limit=10").then().statusCode(200)
                .body("data", hasSize(4))
                .body(event + ".source", equalTo("system:storage-sampler"))
                .body(event + ".attributes.bytes", equalTo("3000000"));
        tenant.owner().api().get("/v1/usage?period=2031-05").then().statusCode(200)
                .body("meters.find { it.meter == 'storage_byte_hours' }.used", equalTo(10000000));
    }

    @Test
    void datasetsAndModelsAreWhatIsSampled() {
        TestTenant tenant = TestTenant.signUp("Real storage");
        String version = io.modelyard.testing.Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                io.modelyard.testing.GeneratedData.topics(200, 9));
        long stored = tenant.owner().api().get("/v1/datasets").then().statusCode(200).extract().jsonPath()
                .getLong("data[0].stored_bytes");
        assertTrue(stored > 0, "the upload and its processed version take bytes: " + version);
        Ledger ledger = new Ledger(schemaOwner);

        at("2032-02-03T04:10:00Z");
        sampler.sample();
        assertEquals(1, ledger.events(tenant.id(), "storage_byte_hours"));
        assertEquals(0, BigDecimal.valueOf(stored).compareTo(ledger.quantity(tenant.id(), "storage_byte_hours")));
    }

    private void at(String instant) {
        clock.use(Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
    }
}
