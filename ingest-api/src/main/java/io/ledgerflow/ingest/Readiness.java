package io.ledgerflow.ingest;

import java.util.Map;

/** Whether the API's dependencies answer; {@code /health/ready} asks it. May block briefly. */
public interface Readiness {

    /** Check name (kafka, schemaRegistry, ...) to whether it passed. */
    Map<String, Boolean> check();
}
