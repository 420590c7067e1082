package io.ledgerflow.sinks.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the sinks benchmarks share: {@code --name value} options over named defaults (unknown names
 * fail), the machine's load average for each figure, and free ports for the local servers.
 */
final class BenchOptions {

    private final Map<String, String> values;

    /** Parses {@code args} over {@code defaults}; every option must have a default. */
    BenchOptions(String[] args, Map<String, String> defaults) {
        values = new HashMap<>(defaults);
        for (int i = 0; i + 1 < args.length; i += 2) {
            String name = args[i].replaceFirst("^--", "");
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            values.put(name, args[i + 1]);
        }
    }

    String get(String name) {
        return values.get(name);
    }

    int intValue(String name) {
        return Integer.parseInt(values.get(name));
    }

    /** The 1-minute load average: figures taken while other builds ran are not comparable. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
