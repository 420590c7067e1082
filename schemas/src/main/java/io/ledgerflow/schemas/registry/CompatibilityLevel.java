package io.ledgerflow.schemas.registry;

/** Compatibility levels of the Confluent Schema Registry, per subject or global. */
public enum CompatibilityLevel {
    NONE,
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE
}
