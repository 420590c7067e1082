package io.ledgerflow.localservers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code local-servers up}, {@code status} and {@code down} do: all four servers start
 * detached from this JVM, a second handle (another command) finds them by their recorded pids, and
 * {@code down} leaves no process behind.
 */
class LocalServersITCase {

    @TempDir Path dataDir;

    @Test
    void upThenDownLeavesNoProcessBehind() throws Exception {
        LocalServers up = new LocalServers(dataDir, ServerProcess.Lifetime.DETACHED);
        up.start();

        List<ProcessHandle> processes = new ArrayList<>();
        for (ServerProcess server : up.all()) {
            assertThat(server.answers()).as("%s answers", server.name()).isTrue();
            ProcessHandle handle = ProcessHandle.of(server.pid().orElseThrow()).orElseThrow();
            processes.add(handle);
            handle.descendants().forEach(processes::add);
        }
        processes.addAll(up.postgres().detachedParts());
        assertThat(up.postgres().detachedParts()).as("postmaster found").hasSize(1);

        Properties state = new Properties();
        try (var in = Files.newInputStream(dataDir.resolve("servers.properties"))) {
            state.load(in);
        }
        assertThat(state).containsKeys("kafka.pid", "kafka.port", "postgres.pid");

        // `status` and `down` run in a new JVM: they know the servers only from the state file.
        LocalServers status = new LocalServers(dataDir, ServerProcess.Lifetime.DETACHED);
        assertThat(status.all()).allMatch(ServerProcess::isRunning);
        assertThat(status.kafka().port()).isEqualTo(up.kafka().port());
        assertThat(status.all()).allMatch(s -> s.residentSetBytes() > 0);

        status.stop();

        assertThat(
                        processes.stream()
                                .filter(ProcessHandle::isAlive)
                                .map(p -> p.pid() + " " + p.info()))
                .as("processes left after down")
                .isEmpty();
        assertThat(new LocalServers(dataDir, ServerProcess.Lifetime.DETACHED).all())
                .noneMatch(ServerProcess::isRunning);
    }
}
