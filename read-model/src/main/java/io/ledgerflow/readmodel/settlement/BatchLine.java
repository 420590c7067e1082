package io.ledgerflow.readmodel.settlement;

/**
 * A batch's figures for one direction and movement type, regular or adjustment (late postings of an
 * earlier period).
 */
public record BatchLine(
        String direction,
        String movementType,
        boolean adjustment,
        int entryCount,
        long grossMinor,
        long feesMinor) {}
