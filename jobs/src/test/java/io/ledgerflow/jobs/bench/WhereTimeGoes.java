package io.ledgerflow.jobs.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU goes during a measured window: CPU time per process (this JVM with the job, the
 * broker, the registry, everything else on the machine) and per thread group of this JVM, and a JFR
 * execution-sample profile summarised by the innermost library each sample is in.
 */
final class WhereTimeGoes {

    private WhereTimeGoes() {}

    /** CPU counters at one instant. */
    record CpuSnapshot(
            long wallNanos,
            long jvmCpuNanos,
            long brokerCpuNanos,
            long registryCpuNanos,
            long machineBusyTicks,
            long machineTotalTicks,
            Map<String, Long> threadCpuNanos) {

        static CpuSnapshot take(OptionalLong brokerPid, OptionalLong registryPid) {
            var os =
                    (com.sun.management.OperatingSystemMXBean)
                            ManagementFactory.getOperatingSystemMXBean();
            long[] machine = machineTicks();
            return new CpuSnapshot(
                    System.nanoTime(),
                    os.getProcessCpuTime(),
                    processCpuNanos(brokerPid),
                    processCpuNanos(registryPid),
                    machine[0],
                    machine[1],
                    threadCpu());
        }

        /** Cores used between {@code earlier} and this snapshot, by who. */
        Map<String, Double> coresSince(CpuSnapshot earlier, int cores) {
            double wall = wallNanos - earlier.wallNanos;
            Map<String, Double> used = new LinkedHashMap<>();
            double jvm = (jvmCpuNanos - earlier.jvmCpuNanos) / wall;
            double broker = (brokerCpuNanos - earlier.brokerCpuNanos) / wall;
            double registry = (registryCpuNanos - earlier.registryCpuNanos) / wall;
            double machine =
                    cores
                            * (double) (machineBusyTicks - earlier.machineBusyTicks)
                            / Math.max(1, machineTotalTicks - earlier.machineTotalTicks);
            used.put("benchmark JVM (job + load + reader)", jvm);
            used.put("Kafka broker", broker);
            used.put("schema registry", registry);
            used.put("other processes (noise)", Math.max(0, machine - jvm - broker - registry));
            used.put("machine total", machine);
            return used;
        }

        /** Cores used by each thread group of this JVM, most first. */
        Map<String, Double> threadCoresSince(CpuSnapshot earlier) {
            double wall = wallNanos - earlier.wallNanos;
            Map<String, Double> used = new HashMap<>();
            threadCpuNanos.forEach(
                    (name, nanos) -> {
                        long before = earlier.threadCpuNanos.getOrDefault(name, 0L);
                        used.merge(name, (nanos - before) / wall, Double::sum);
                    });
            return used.entrySet().stream()
                    .filter(e -> e.getValue() >= 0.005)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .collect(
                            Collectors.toMap(
                                    Map.Entry::getKey,
                                    Map.Entry::getValue,
                                    (a, b) -> a,
                                    LinkedHashMap::new));
        }

        private static Map<String, Long> threadCpu() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            Map<String, Long> byGroup = new HashMap<>();
            long[] ids = threads.getAllThreadIds();
            ThreadInfo[] infos = threads.getThreadInfo(ids);
            for (int i = 0; i < ids.length; i++) {
                long cpu = threads.getThreadCpuTime(ids[i]);
                if (infos[i] != null && cpu > 0) {
                    byGroup.merge(threadGroup(infos[i].getThreadName()), cpu, Long::sum);
                }
            }
            return byGroup;
        }

        private static long processCpuNanos(OptionalLong pid) {
            if (pid.isEmpty()) {
                return 0;
            }
            try {
                String stat = Files.readString(Path.of("/proc/" + pid.getAsLong() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // utime and stime (fields 14 and 15 of proc(5)), in clock ticks of 10 ms.
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        private static long[] machineTicks() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < Math.min(f.length, 9); i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                return new long[] {total - idle, total};
            } catch (IOException | RuntimeException e) {
                return new long[] {0, 1};
            }
        }
    }

    /** Thread names without subtask indexes and counters, so that threads of a kind add up. */
    static String threadGroup(String name) {
        return name.replaceAll("\\(\\d+/\\d+\\)(#\\d+)?", "(*)")
                .replaceAll("-\\d+", "-N")
                .replaceAll("\\d+$", "N");
    }

    /** A low-overhead recording of execution samples (Java and native), every 10 ms. */
    static Recording startProfile(Path file) throws IOException {
        Recording recording = new Recording();
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
        recording.setToDisk(true);
        recording.setDestination(file);
        recording.start();
        return recording;
    }

    /** Summarises recordings after the fact: {@code WhereTimeGoes file.jfr...}. */
    public static void main(String[] args) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String arg : args) {
            files.add(Path.of(arg));
        }
        System.out.print(summarise(files, 25));
    }

    /** The categories samples are charged to: the innermost frame that belongs to one of them. */
    private static final List<String[]> CATEGORIES =
            List.of(
                    new String[] {"org.rocksdb.", "RocksDB (JNI get/put/iterators)"},
                    new String[] {"sun.security.provider.", "SHA-256 (hash chain, id fingerprint)"},
                    new String[] {
                        "java.security.MessageDigest", "SHA-256 (hash chain, id fingerprint)"
                    },
                    new String[] {"net.jpountz.", "LZ4 compression (Kafka)"},
                    new String[] {"java.util.zip.", "CRC32C / zip (Kafka)"},
                    new String[] {"org.apache.avro.io.", "Avro binary encode/decode"},
                    new String[] {"org.apache.avro.specific.", "Avro specific datum reader/writer"},
                    new String[] {"org.apache.avro.generic.", "Avro generic datum reader/writer"},
                    new String[] {"org.apache.avro.", "Avro (schemas, builders, conversions)"},
                    new String[] {"io.ledgerflow.avro.", "Avro generated records and builders"},
                    new String[] {
                        "io.ledgerflow.schemas.LedgerEntryHash",
                        "Ledger entry hash (string building)"
                    },
                    new String[] {"io.ledgerflow.schemas.", "Ledgerflow serde (Confluent format)"},
                    new String[] {"io.ledgerflow.jobs.bench.", "Benchmark load and reader"},
                    new String[] {"io.ledgerflow.flink.kafka.", "Job encode/decode operators"},
                    new String[] {"io.ledgerflow.jobs.", "Ledger job logic"},
                    new String[] {"org.apache.kafka.clients.producer.", "Kafka producer"},
                    new String[] {"org.apache.kafka.clients.consumer.", "Kafka consumer"},
                    new String[] {"org.apache.kafka.common.record.", "Kafka record batches"},
                    new String[] {"org.apache.kafka.", "Kafka client (network, other)"},
                    new String[] {
                        "org.apache.flink.state.rocksdb.",
                        "Flink RocksDB state backend (key/value serialisation)"
                    },
                    new String[] {
                        "org.apache.flink.runtime.state.",
                        "Flink keyed state (TTL, key groups, timers)"
                    },
                    new String[] {
                        "org.apache.flink.api.common.typeutils.", "Flink type serializers"
                    },
                    new String[] {"org.apache.flink.api.java.typeutils.", "Flink type serializers"},
                    new String[] {"org.apache.flink.formats.avro.", "Flink Avro type serializer"},
                    new String[] {"org.apache.flink.runtime.io.network.", "Flink network stack"},
                    new String[] {"org.apache.flink.streaming.runtime.io.", "Flink network stack"},
                    new String[] {"org.apache.flink.connector.kafka.", "Flink Kafka connector"},
                    new String[] {"org.apache.flink.", "Flink runtime (other)"},
                    new String[] {"org.apache.logging.", "Logging"});

    /**
     * Stages a sample can be inside of (inclusive: one sample counts for every stage on its stack),
     * matched on frames starting with the prefix.
     */
    private static final List<String[]> STAGES =
            List.of(
                    new String[] {
                        "io.ledgerflow.jobs.ledger.LedgerFunction.", "LedgerFunction (all of it)"
                    },
                    new String[] {
                        "io.ledgerflow.schemas.LedgerEntryHash.of",
                        "  of which LedgerEntryHash.of (hash chain)"
                    },
                    new String[] {
                        "io.ledgerflow.jobs.ledger.IdempotencyGate.", "IdempotencyGate (all of it)"
                    },
                    new String[] {"io.ledgerflow.jobs.ledger.Admission.", "Admission (all of it)"},
                    new String[] {
                        "io.ledgerflow.jobs.ledger.RequestIdentity.fingerprintOf",
                        "RequestIdentity.fingerprintOf (Avro encode + SHA-256)"
                    },
                    new String[] {
                        "org.apache.flink.state.rocksdb.",
                        "Keyed state access (Flink RocksDB wrappers + JNI)"
                    },
                    new String[] {
                        "io.ledgerflow.flink.kafka.EncodeConfluentAvro.map",
                        "EncodeConfluentAvro.map (outputs to Avro bytes)"
                    },
                    new String[] {
                        "io.ledgerflow.flink.kafka.DecodeConfluentAvro.",
                        "DecodeConfluentAvro (requests, instructions from bytes)"
                    },
                    new String[] {
                        "org.apache.flink.formats.avro.typeutils.AvroSerializer.",
                        "Flink AvroSerializer (all: copies, network in and out)"
                    },
                    new String[] {
                        "org.apache.flink.formats.avro.typeutils.AvroSerializer.copy",
                        "  of which copy (Avro records between chained operators)"
                    },
                    new String[] {
                        "org.apache.flink.formats.avro.typeutils.AvroSerializer.deserialize",
                        "  of which deserialize (records arriving over the network)"
                    },
                    new String[] {
                        "org.apache.flink.formats.avro.typeutils.AvroSerializer.serialize",
                        "  of which serialize (records leaving over the network)"
                    },
                    new String[] {
                        "org.apache.flink.api.java.typeutils.runtime.PojoSerializer.",
                        "Flink PojoSerializer (KafkaRecordBytes, state POJOs)"
                    },
                    new String[] {
                        "org.apache.flink.api.java.typeutils.runtime.PojoSerializer.copy",
                        "  of which copy (KafkaRecordBytes between chained operators)"
                    },
                    new String[] {
                        "org.apache.flink.connector.kafka.sink.KafkaWriter.write",
                        "KafkaWriter.write (sink: producer.send)"
                    },
                    new String[] {
                        "org.apache.kafka.clients.producer.internals.Sender.",
                        "Kafka producer I/O thread (Sender)"
                    },
                    new String[] {
                        "org.apache.kafka.common.compress.Lz4", "LZ4 (producer compression)"
                    },
                    new String[] {
                        "org.apache.flink.connector.kafka.source.",
                        "Kafka source (fetch, deserialise)"
                    },
                    new String[] {
                        "org.apache.flink.runtime.io.network.",
                        "Flink network stack (buffers, channels)"
                    },
                    new String[] {
                        "org.apache.flink.state.rocksdb.snapshot.",
                        "RocksDB snapshot (checkpoint sync + async part)"
                    },
                    new String[] {
                        "io.ledgerflow.jobs.bench.", "Benchmark (producer, results reader)"
                    });

    /** Samples charged to categories, top frames, and thread groups, over recordings. */
    static String summarise(List<Path> recordings, int topMethods) throws IOException {
        Map<String, Integer> byCategory = new HashMap<>();
        Map<String, Integer> byTopFrame = new HashMap<>();
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> byStage = new LinkedHashMap<>();
        int total = 0;
        for (Path file : recordings) {
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                List<RecordedFrame> frames = stack.getFrames();
                String top = method(frames.get(0));
                boolean nativeSample =
                        event.getEventType().getName().equals("jdk.NativeMethodSample");
                // A native sample is a thread inside native code: count it only for libraries that
                // compute there (RocksDB, compression); the rest is threads waiting on sockets.
                if (nativeSample
                        && !(top.startsWith("org.rocksdb.")
                                || top.startsWith("net.jpountz.")
                                || top.startsWith("java.util.zip."))) {
                    continue;
                }
                total++;
                byCategory.merge(category(frames), 1, Integer::sum);
                byTopFrame.merge(top, 1, Integer::sum);
                for (String stage : stages(frames)) {
                    byStage.merge(stage, 1, Integer::sum);
                }
                var thread = event.getThread("sampledThread");
                if (thread == null) {
                    thread = event.getThread();
                }
                String name = thread == null ? "?" : String.valueOf(thread.getJavaName());
                byThread.merge(threadGroup(name), 1, Integer::sum);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("Samples on CPU: ").append(total).append('\n');
        out.append("\nBy innermost library (share of samples):\n");
        append(out, byCategory, total, 30);
        out.append("\nInclusive, by stage (a sample counts for each stage on its stack):\n");
        for (String[] stage : STAGES) {
            int count = byStage.getOrDefault(stage[1], 0);
            out.append(
                    String.format("  %5.1f%%  %s%n", 100.0 * count / Math.max(1, total), stage[1]));
        }
        out.append("\nBy top frame (self time):\n");
        append(out, byTopFrame, total, topMethods);
        out.append("\nBy thread:\n");
        append(out, byThread, total, 15);
        return out.toString();
    }

    private static List<String> stages(List<RecordedFrame> frames) {
        List<String> found = new ArrayList<>();
        for (String[] stage : STAGES) {
            for (RecordedFrame frame : frames) {
                if (method(frame).startsWith(stage[0])) {
                    found.add(stage[1]);
                    break;
                }
            }
        }
        return found;
    }

    private static String category(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String m = method(frame);
            for (String[] c : CATEGORIES) {
                if (m.startsWith(c[0])) {
                    return c[1];
                }
            }
        }
        return "JDK (other: strings, collections, time)";
    }

    private static String method(RecordedFrame frame) {
        if (frame.getMethod() == null) {
            return "?";
        }
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void append(StringBuilder out, Map<String, Integer> counts, int total, int n) {
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        for (Map.Entry<String, Integer> e : sorted.subList(0, Math.min(n, sorted.size()))) {
            out.append(
                    String.format(
                            "  %5.1f%%  %s%n",
                            100.0 * e.getValue() / Math.max(1, total), e.getKey()));
        }
    }
}
