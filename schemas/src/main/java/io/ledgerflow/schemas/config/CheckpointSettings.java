package io.ledgerflow.schemas.config;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;

/**
 * How a Flink job checkpoints.
 *
 * @param interval how often state and Kafka transactions commit: bounds how late results become
 *     visible to {@code read_committed} readers
 * @param directory where checkpoints go, a URI with its file system ({@code file:///...}, {@code
 *     s3://...})
 */
public record CheckpointSettings(Duration interval, String directory) implements Serializable {

    /** Reads {@code checkpoint-interval} (positive) and {@code checkpoint-directory} (a URI). */
    public static CheckpointSettings read(Settings s, CheckpointSettings defaults) {
        return new CheckpointSettings(
                s.duration("checkpoint-interval", defaults.interval()),
                s.parsed(
                        "checkpoint-directory",
                        defaults.directory(),
                        CheckpointSettings::directory,
                        "a URI with its file system, like file:///path or s3://bucket/path"));
    }

    private static String directory(String text) {
        if (URI.create(text).getScheme() == null) {
            throw new IllegalArgumentException();
        }
        return text;
    }
}
