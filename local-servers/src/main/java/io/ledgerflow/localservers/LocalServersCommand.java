package io.ledgerflow.localservers;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Command line for people: {@code up}, {@code down}, {@code status} and {@code run}.
 *
 * <pre>
 * local-servers up     [--data-dir DIR]   start the servers in the background, print where they listen
 * local-servers status [--data-dir DIR]   show each server, its pid, memory and addresses
 * local-servers down   [--data-dir DIR]   stop them; data stays in DIR
 * local-servers run    [--data-dir DIR]   start them in the foreground until Ctrl-C
 * </pre>
 *
 * The data directory defaults to {@code .ledgerflow/local} under the current directory.
 */
public final class LocalServersCommand {

    static final Path DEFAULT_DATA_DIR = Path.of(".ledgerflow", "local");

    private LocalServersCommand() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        Path dataDir = DEFAULT_DATA_DIR;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--data-dir") && i + 1 < args.length) {
                dataDir = Path.of(args[++i]);
            } else {
                usage();
                System.exit(2);
            }
        }
        switch (args[0]) {
            case "up" -> up(dataDir);
            case "down" -> down(dataDir);
            case "status" -> System.exit(status(dataDir) ? 0 : 1);
            case "run" -> run(dataDir);
            default -> {
                usage();
                System.exit(2);
            }
        }
    }

    private static void up(Path dataDir) {
        LocalServers servers = new LocalServers(dataDir, ServerProcess.Lifetime.DETACHED);
        System.out.println("starting local servers in " + servers.root() + " ...");
        try {
            servers.start();
        } catch (ServerStartException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        print(servers);
        System.out.println("stop with: bin/local-servers down --data-dir " + dataDir);
    }

    private static void down(Path dataDir) {
        LocalServers servers = new LocalServers(dataDir, ServerProcess.Lifetime.DETACHED);
        servers.stop();
        System.out.println("stopped local servers in " + servers.root() + " (data kept)");
    }

    private static boolean status(Path dataDir) {
        LocalServers servers = new LocalServers(dataDir, ServerProcess.Lifetime.DETACHED);
        print(servers);
        return servers.all().stream().allMatch(ServerProcess::isRunning);
    }

    private static void run(Path dataDir) throws InterruptedException {
        LocalServers servers = new LocalServers(dataDir, ServerProcess.Lifetime.ATTACHED);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    System.out.println("\nstopping local servers ...");
                                    servers.stop();
                                    System.out.println("stopped");
                                    stopped.countDown();
                                },
                                "stop-servers"));
        System.out.println("starting local servers in " + servers.root() + " ...");
        try {
            servers.start();
        } catch (ServerStartException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        print(servers);
        System.out.println("running; press Ctrl-C to stop");
        stopped.await();
    }

    static void print(LocalServers servers) {
        System.out.printf("%-16s %-8s %-9s %s%n", "SERVER", "PID", "RSS", "ADDRESS");
        for (ServerProcess server : servers.all()) {
            String pid = server.pid().isPresent() ? Long.toString(server.pid().getAsLong()) : "-";
            String rss =
                    server.isRunning()
                            ? String.format(Locale.ROOT, "%d MB", server.residentSetBytes() >> 20)
                            : "stopped";
            StringBuilder address = new StringBuilder();
            for (Map.Entry<String, String> e : server.endpoints().entrySet()) {
                address.append(e.getKey()).append('=').append(e.getValue()).append("  ");
            }
            System.out.printf("%-16s %-8s %-9s %s%n", server.name(), pid, rss, address);
        }
    }

    private static void usage() {
        System.err.println(
                "usage: local-servers <up|down|status|run> [--data-dir DIR]\n"
                        + "  up      start the servers in the background and print where they"
                        + " listen\n"
                        + "  status  show each server, its pid, memory and addresses\n"
                        + "  down    stop the servers (data is kept)\n"
                        + "  run     start them in the foreground; Ctrl-C stops them");
    }
}
