package io.ledgerflow.localservers;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Entry point of every server child JVM: runs the real server's {@code main} and, when started on
 * behalf of a test JVM, exits as soon as that parent process is gone.
 *
 * <p>Without this a test JVM killed by Surefire's timeout, an IDE stop button or {@code kill -9}
 * would leave brokers and registries running, holding ports and memory until the machine reboots.
 * The parent is named by the {@value #PARENT_PID_ENV} environment variable; servers started by
 * {@code local-servers up} do not set it and keep running until {@code local-servers down}.
 *
 * <p>Usage: {@code java -cp ... io.ledgerflow.localservers.ParentWatch <main class> [args...]}.
 */
public final class ParentWatch {

    /** Environment variable holding the pid whose exit ends this process. */
    public static final String PARENT_PID_ENV = "LEDGERFLOW_PARENT_PID";

    private ParentWatch() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ParentWatch <main class> [args...]");
            System.exit(2);
        }
        String parent = System.getenv(PARENT_PID_ENV);
        if (parent != null && !parent.isBlank()) {
            watch(Long.parseLong(parent.trim()));
        }
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    private static void watch(long parentPid) {
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty() || !parent.get().isAlive()) {
            System.err.println("parent process " + parentPid + " is gone; not starting");
            System.exit(0);
        }
        Thread watcher =
                new Thread(
                        () -> {
                            parent.get().onExit().join();
                            System.err.println(
                                    "parent process " + parentPid + " exited; shutting down");
                            // exit (not halt) so the server's own shutdown hooks run.
                            System.exit(0);
                        },
                        "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
