package dev.avatarfleet.bench.load;

import dev.avatarfleet.bench.load.LaunchClient.Payload;
import dev.avatarfleet.common.ControlPlane;
import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.store.NewTask;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.store.TenantAdmission;
import dev.avatarfleet.devroom.DevRoomTokens;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API's launch path under load, against a running stack (ops/bench/launch-load.sh starts one without a worker in
 * a network namespace; Kafka and Redis come from the fleet settings, {@code KAFKA_BOOTSTRAP_SERVERS}, {@code
 * REDIS_URL}). Prints markdown tables for ops/bench/figure.
 *
 * <pre>
 * LaunchLoad launch APIS LIVEKIT_URL SECONDS PLAN IMAGES     open loop at fixed rates, against the floor (LaunchFloor)
 *   PLAN   none:50,100,200;base64:50,100,200;2mp:5,10,20;12mp:1,2,4   (case: rates per second)
 *   IMAGES base64=FILE,2mp=FILE,12mp=FILE                              (JPEGs: the plugin's, the photos)
 * LaunchLoad throughput APIS LIVEKIT_URL SECONDS CLIENTS               closed loop: CLIENTS callers back to back, no image
 * LaunchLoad tasks API LIVEKIT_URL STEPS REQUESTS                      GET /tasks with STEPS (1000,10000,100000) records
 * </pre>
 * APIS: comma-separated base URLs, launches spread over them in turn. A capacity-only registry entry ({@link
 * CapacityEntry}) is held while it runs, so launches are admitted and nothing runs them.
 */
public final class LaunchLoad {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private LaunchLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: see the class comment (launch | throughput | tasks)");
            System.exit(2);
        }
        FleetSettings settings = FleetSettings.fromEnvironment(Env.system());
        List<URI> apis = Arrays.stream(args[1].split(",")).map(URI::create).toList();
        String livekitUrl = args[2];
        LaunchClient client = new LaunchClient(apis, livekitUrl, "devkey", "secret", TIMEOUT);
        try (ControlPlane cp = ControlPlane.connect(settings, Clock.systemUTC());
             CapacityEntry capacity = new CapacityEntry(cp.registry(), Duration.ofMillis(400))) {
            switch (args[0]) {
                case "launch" -> launch(cp, settings, client, livekitUrl, Integer.parseInt(args[3]), args[4], args.length > 5 ? args[5] : "");
                case "throughput" -> throughput(cp.store(), client, apis.size(), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
                case "tasks" -> tasks(cp.store(), client, apis.get(0), livekitUrl, args[3], Integer.parseInt(args[4]));
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } catch (Exception | Error e) {
            e.printStackTrace();
            // why: the Kafka and Redis clients' threads would keep the JVM alive after a failure
            System.exit(1);
        }
        System.exit(0);
    }

    // ------------------------------------------------------------------------------------------------ launch

    static void launch(ControlPlane cp, FleetSettings settings, LaunchClient client, String livekitUrl, int seconds, String plan,
                       String images) throws Exception {
        Map<String, byte[]> files = new HashMap<>();
        for (String kv : images.split(",")) {
            if (kv.contains("=")) {
                files.put(kv.substring(0, kv.indexOf('=')), Files.readAllBytes(Path.of(kv.substring(kv.indexOf('=') + 1))));
            }
        }
        String token = DevRoomTokens.create("devkey", "secret").participant("bench-floor", "bithuman-avatar-agent")
                .ttl(Duration.ofHours(1)).mint();
        Duration length = Duration.ofSeconds(seconds);
        Duration drain = length.plus(TIMEOUT).plusSeconds(5);
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        Map<Double, OpenLoop.Result> floors = new HashMap<>();
        TaskSweep sweep = new TaskSweep();
        try (LaunchFloor floor = new LaunchFloor(cp.store(), settings, livekitUrl, token)) {
            // why: the first calls of a JVM pay class loading and JIT; neither the floor nor the API is measured cold
            warm(floor, client, run, files, sweep);
            sweep.cancelAll(cp.store());
            System.out.println("# /launch open loop, " + seconds + " s per rate, latency from the scheduled send; floor = one admission"
                    + " script + one acks=all produce from this JVM at the same rate; capacity-only registry entry, no worker");
            System.out.println("| case | rate/s | sent | 200 | refused | other | p50 ms | p99 ms | max ms | floor p50 ms | floor p99 ms"
                    + " | API/floor p50 | image KB | load |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            for (String part : plan.split(";")) {
                String name = part.substring(0, part.indexOf(':'));
                Payload payload = switch (name) {
                    case "none" -> Payload.NONE;
                    case "base64" -> Payload.BASE64;
                    default -> Payload.MULTIPART;
                };
                byte[] image = payload == Payload.NONE ? null : files.get(name);
                if (payload != Payload.NONE && image == null) {
                    throw new IllegalArgumentException("no image file for case " + name);
                }
                for (String r : part.substring(part.indexOf(':') + 1).split(",")) {
                    double rate = Double.parseDouble(r);
                    OpenLoop.Result f = floors.get(rate);
                    if (f == null) {
                        String prefix = "floor-" + run + "-" + r + "-";
                        f = OpenLoop.run(rate, length, drain, "ok", i -> floor.launch(prefix + i, sweep));
                        sweep.cancelAll(cp.store());
                        floors.put(rate, f);
                        System.out.println("# floor " + r + "/s: " + f.outcomes() + ", p50 " + Latencies.cell(f.ok().percentile(50))
                                + " ms, p99 " + Latencies.cell(f.ok().percentile(99)) + " ms");
                    }
                    int n = Math.max(1, (int) Math.round(rate * seconds));
                    List<LaunchClient.Prepared> sends = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        // why: a person uploads their photo once: every launch of a photo case brings bytes of its own
                        // (the same pixels), so the API checks each one whole and its memory of accepted images does
                        // not answer; the base64 case sends one avatar again and again, as livekit-plugins-bithuman does
                        byte[] bytes = payload == Payload.MULTIPART ? withComment(image, "launch " + run + " " + r + " " + i) : image;
                        sends.add(client.prepare(i, "l-" + run + "-" + name + "-" + r + "-" + i, payload, bytes));
                    }
                    OpenLoop.Result a = OpenLoop.run(rate, length, drain, "200", i -> client.send(sends.get(i), sweep));
                    sweep.cancelAll(cp.store());
                    int refused = a.outcomes().entrySet().stream().filter(e -> e.getKey().startsWith("503") || e.getKey().startsWith("429"))
                            .mapToInt(Map.Entry::getValue).sum();
                    int other = a.sent() - a.count("200") - refused;
                    double ratio = a.ok().percentile(50) / f.ok().percentile(50);
                    System.out.println("| " + name + " | " + r + " | " + a.sent() + " | " + a.count("200") + " | " + refused + " | " + other
                            + " | " + Latencies.cell(a.ok().percentile(50)) + " | " + Latencies.cell(a.ok().percentile(99))
                            + " | " + Latencies.cell(a.ok().percentile(100)) + " | " + Latencies.cell(f.ok().percentile(50))
                            + " | " + Latencies.cell(f.ok().percentile(99)) + " | " + (Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio))
                            + " | " + (image == null ? 0 : image.length / 1024) + " | " + load() + " |");
                    if (a.outcomes().size() > 1 || a.count("200") == 0) {
                        System.out.println("# outcomes " + name + " " + r + "/s: " + a.outcomes() + (a.unfinished() > 0 ? ", unfinished " + a.unfinished() : ""));
                    }
                }
            }
        }
    }

    /** The JPEG with a comment segment (COM) right after its start marker: other bytes, the same picture. */
    static byte[] withComment(byte[] jpeg, String text) {
        if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xFF || (jpeg[1] & 0xff) != 0xD8) {
            throw new IllegalArgumentException("not a JPEG");
        }
        byte[] t = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int len = t.length + 2;
        byte[] out = new byte[jpeg.length + 2 + len];
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xD8;
        out[2] = (byte) 0xFF;
        out[3] = (byte) 0xFE;
        out[4] = (byte) (len >> 8);
        out[5] = (byte) len;
        System.arraycopy(t, 0, out, 6, t.length);
        System.arraycopy(jpeg, 2, out, 6 + t.length, jpeg.length - 2);
        return out;
    }

    private static void warm(LaunchFloor floor, LaunchClient client, String run, Map<String, byte[]> files, TaskSweep sweep) {
        for (int i = 0; i < 20; i++) {
            floor.launch("warm-floor-" + run + "-" + i, sweep);
            client.send(client.prepare(i, "warm-" + run + "-" + i, Payload.NONE, null), sweep);
        }
        int i = 0;
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            client.send(client.prepare(i, "warm-" + run + "-" + f.getKey() + "-" + i++,
                    f.getKey().equals("base64") ? Payload.BASE64 : Payload.MULTIPART, f.getValue()), sweep);
        }
    }

    // ------------------------------------------------------------------------------------------------ throughput

    static void throughput(RedisTaskStore store, LaunchClient client, int nodes, int seconds, int clients) throws InterruptedException {
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        TaskSweep sweep = new TaskSweep();
        for (int i = 0; i < 10 * nodes; i++) {
            client.send(client.prepare(i, "tw-" + run + "-" + i, Payload.NONE, null), sweep);
        }
        AtomicInteger next = new AtomicInteger();
        Map<String, AtomicInteger> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        Latencies ok = new Latencies();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long t0 = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                threads.execute(() -> {
                    while (System.nanoTime() < end) {
                        int i = next.getAndIncrement();
                        LaunchClient.Prepared p = client.prepare(i, "t-" + run + "-" + nodes + "-" + i, Payload.NONE, null);
                        long s = System.nanoTime();
                        String label = client.send(p, sweep);
                        if (label.equals("200")) {
                            ok.add((System.nanoTime() - s) / 1e6);
                        }
                        outcomes.computeIfAbsent(label, k -> new AtomicInteger()).incrementAndGet();
                    }
                });
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.println("| " + nodes + " | " + clients + " | " + next.get() + " | " + ok.count() + " | "
                + String.format(Locale.ROOT, "%.1f", ok.count() / secs) + " | " + Latencies.cell(ok.percentile(50)) + " | "
                + Latencies.cell(ok.percentile(99)) + " | " + load() + " |");
        if (outcomes.size() > 1) {
            System.out.println("# outcomes " + nodes + " nodes: " + outcomes);
        }
        sweep.cancelAll(store);
    }

    // ------------------------------------------------------------------------------------------------ tasks

    static void tasks(RedisTaskStore store, LaunchClient client, URI api, String livekitUrl, String steps, int requests) throws Exception {
        String token = DevRoomTokens.create("devkey", "secret").participant("bench-records", "bithuman-avatar-agent")
                .ttl(Duration.ofHours(1)).mint();
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        System.out.println("| records | query | requests | p50 ms | p99 ms | max ms | reply KB | errors | load |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        // why: records are counted by the API itself (its page's total), launches of an earlier mode on this stack included
        int have = 0;
        for (String s : steps.split(",")) {
            int want = Integer.parseInt(s);
            long t0 = System.nanoTime();
            seed(store, run, have, want, livekitUrl, token);
            System.out.println(String.format(Locale.ROOT, "# seeded %d records (%d new: admitted, then cancelled) in %.1f s",
                    want, want - have, (System.nanoTime() - t0) / 1e9));
            have = want;
            long total = -1;
            for (String query : List.of("/tasks?limit=20", "/tasks?status=running&limit=20", "/tasks")) {
                Latencies l = new Latencies();
                long bytes = 0;
                Map<String, Integer> errors = new java.util.TreeMap<>();
                for (int i = 0; i < requests; i++) {
                    long st = System.nanoTime();
                    try {
                        LaunchClient.Got g = client.get(api.resolve(query));
                        if (g.status() != 200) {
                            errors.merge(Integer.toString(g.status()), 1, Integer::sum);
                            continue;
                        }
                        l.add((System.nanoTime() - st) / 1e6);
                        bytes = g.bytes();
                        total = g.total() >= 0 && query.equals("/tasks?limit=20") ? g.total() : total;
                    } catch (IOException e) {
                        // why: a node that fell over under the load is a result to report, not the end of the figure
                        errors.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                    }
                }
                System.out.println("| " + (total >= 0 ? total : want) + " | `" + query + "` | " + requests + " | " + Latencies.cell(l.percentile(50)) + " | "
                        + Latencies.cell(l.percentile(99)) + " | " + Latencies.cell(l.percentile(100)) + " | " + bytes / 1024 + " | "
                        + (errors.isEmpty() ? "0" : errors.toString().replace("|", "/")) + " | " + load() + " |");
            }
        }
    }

    /**
     * Records from..to-1 written the way the fleet writes them, 64 at a time: admitted by the admission script, then
     * cancelled by the store's stop (a pending task no worker claimed), so they are history, as nearly every record of
     * a fleet is (kept up to {@code MAX_TASK_HISTORY}, which launch-load.sh raises for this), not 100,000 active tasks.
     */
    private static void seed(RedisTaskStore store, String run, int from, int to, String livekitUrl, String token) throws InterruptedException {
        AtomicInteger next = new AtomicInteger(from);
        AtomicLong refused = new AtomicLong();
        Instant exp = Instant.now().plusSeconds(3600);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 64; c++) {
                threads.execute(() -> {
                    for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                        var a = store.admit(new NewTask("rec-" + run + "-" + i, "bithuman-avatar-agent", null, null, List.of(), null,
                                livekitUrl, token, null, exp), TenantAdmission.NONE);
                        if (a instanceof dev.avatarfleet.common.store.Admission.Admitted admitted) {
                            store.requestStop(admitted.task().taskId(), "bench record");
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                });
            }
        }
        if (refused.get() > 0) {
            throw new IllegalStateException(refused.get() + " records were not admitted");
        }
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

}
