package io.ledgerflow.localservers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A server child whose parent dies must not outlive it. */
class ParentWatchTest {

    /** Stands in for a server main: runs until killed. */
    public static final class Forever {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void childExitsWhenItsParentIsGone() throws Exception {
        Process parent = new ProcessBuilder("sleep", "300").start();
        Process child = startChild(parent.pid());
        try {
            assertThat(child.waitFor(2, TimeUnit.SECONDS)).as("child keeps running").isFalse();

            parent.destroyForcibly().waitFor();

            assertThat(child.waitFor(20, TimeUnit.SECONDS))
                    .as("child exits after its parent")
                    .isTrue();
        } finally {
            parent.destroyForcibly();
            child.destroyForcibly();
        }
    }

    @Test
    void childWithoutParentWatchKeepsRunning() throws Exception {
        Process child = startChild(-1);
        try {
            assertThat(child.waitFor(2, TimeUnit.SECONDS)).isFalse();
        } finally {
            child.destroyForcibly();
        }
    }

    private static Process startChild(long parentPid) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder(
                                ServerRuntime.javaExecutable(),
                                "-Xmx32m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                ParentWatch.class.getName(),
                                Forever.class.getName())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().remove(ParentWatch.PARENT_PID_ENV);
        if (parentPid > 0) {
            builder.environment().put(ParentWatch.PARENT_PID_ENV, Long.toString(parentPid));
        }
        return builder.start();
    }
}
