package dev.trailguard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The JSON Schemas committed under {@code docs/schema} (copied onto the test classpath), validated with networknt. */
public final class Schemas {

    /** The notification document: the SNS JSON form and the incident event's detail. */
    public static final Schema NOTIFICATION = load("trailguard-notification-1.0.schema.json");
    /** The ASFF attributes Security Hub requires, and the optional ones TrailGuard sends. */
    public static final Schema ASFF = load("asff-required-subset.schema.json");

    private Schemas() {
    }

    /** The schema's errors for {@code document}, as text; empty when it is valid. */
    public static List<String> errors(Schema schema, JsonNode document) {
        return schema.validate(document).stream().map(Error::toString).toList();
    }

    private static Schema load(String name) {
        try (InputStream in = Schemas.class.getResourceAsStream("/schema/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no schema docs/schema/" + name + " on the test classpath");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
