import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.metrics.StartupStep;

/**
 * Start-up profiler for bench/startup-profile.sh (not part of the service): runs the
 * unchanged application class with Spring's BufferingApplicationStartup, prints the
 * slowest start-up steps (self time, i.e. minus nested steps) and the time per step
 * kind, then closes the context. Compiled and run against the extracted jar.
 */
public final class StartupProbe {

    record Ev(long id, Long parent, String name, String label, long nanos) {
    }

    public static void main(String[] args) throws Exception {
        Class<?> app = Class.forName("io.lvscp.LvsControlPlaneApplication");
        SpringApplication sa = new SpringApplication(app);
        sa.setMainApplicationClass(app); // with -Dspring.aot.enabled=true: the application's AOT initializer, not this class's
        BufferingApplicationStartup startup = new BufferingApplicationStartup(200_000);
        sa.setApplicationStartup(startup);
        long t0 = System.nanoTime();
        ConfigurableApplicationContext ctx = sa.run(args);
        long run = System.nanoTime() - t0;
        long jvmUp = ManagementFactory.getRuntimeMXBean().getUptime();

        StartupTimeline tl = startup.getBufferedTimeline();
        List<Ev> evs = new ArrayList<>();
        Map<Long, Long> childSum = new HashMap<>();
        for (StartupTimeline.TimelineEvent e : tl.getEvents()) {
            StartupStep s = e.getStartupStep();
            StringBuilder label = new StringBuilder();
            for (StartupStep.Tag t : s.getTags()) {
                if (t.getKey().equals("beanName") || t.getKey().equals("beanType") || t.getKey().equals("configClass")
                        || t.getKey().equals("postProcessor") || t.getKey().equals("listener") || t.getKey().equals("event")) {
                    label.append(label.length() == 0 ? "" : " ").append(t.getKey()).append('=').append(t.getValue());
                }
            }
            long nanos = e.getDuration().toNanos();
            evs.add(new Ev(s.getId(), s.getParentId(), s.getName(), label.toString(), nanos));
            if (s.getParentId() != null) {
                childSum.merge(s.getParentId(), nanos, Long::sum);
            }
        }
        System.out.printf("SpringApplication.run: %.0f ms; JVM uptime at end of run: %d ms; %d start-up steps recorded%n", run / 1e6,
                jvmUp, evs.size());

        System.out.println("\nTop-level steps (wall time, includes nested steps):");
        evs.stream().filter(e -> e.parent() == null).sorted(Comparator.comparingLong(Ev::nanos).reversed()).limit(12)
                .forEach(e -> System.out.printf("  %8.0f ms  %s %s%n", e.nanos() / 1e6, e.name(), e.label()));

        Map<String, long[]> byName = new HashMap<>();
        for (Ev e : evs) {
            long self = e.nanos() - childSum.getOrDefault(e.id(), 0L);
            long[] a = byName.computeIfAbsent(e.name(), k -> new long[2]);
            a[0] += self;
            a[1]++;
        }
        System.out.println("\nSelf time by step kind:");
        byName.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0])).limit(12)
                .forEach(x -> System.out.printf("  %8.0f ms  %5d x %s%n", x.getValue()[0] / 1e6, x.getValue()[1], x.getKey()));

        System.out.println("\nSlowest steps by self time (minus nested steps):");
        evs.stream().sorted(Comparator.comparingLong((Ev e) -> e.nanos() - childSum.getOrDefault(e.id(), 0L)).reversed()).limit(30)
                .forEach(e -> System.out.printf("  %8.0f ms  (total %6.0f)  %s %s%n", (e.nanos() - childSum.getOrDefault(e.id(), 0L)) / 1e6,
                        e.nanos() / 1e6, e.name(), e.label()));
        ctx.close();
    }
}
