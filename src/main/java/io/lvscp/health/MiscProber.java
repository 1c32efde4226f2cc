package io.lvscp.health;

import io.lvscp.health.CheckResult.Reason;
import java.io.File;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * MISC_CHECK: runs the command (no shell), exit 0 is good; past its timeout the
 * command and its children are killed and the attempt is a timeout. No thread waits
 * on the process: its exit completes the attempt.
 */
final class MiscProber {

    private final ExecutorService pool;
    private final ScheduledExecutorService timer;

    MiscProber(ExecutorService pool, ScheduledExecutorService timer) {
        this.pool = pool;
        this.timer = timer;
    }

    CompletableFuture<CheckResult> probe(CheckDefinition def) {
        long start = System.nanoTime();
        CompletableFuture<Process> started;
        try {
            started = CompletableFuture.supplyAsync(() -> {
                try {
                    return new ProcessBuilder(def.command()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(CheckResult.fail(Reason.ERROR, "prober stopped", 0));
        }
        return started.thenCompose(p -> {
            AtomicBoolean killed = new AtomicBoolean();
            ScheduledFuture<?> killer = timer.schedule(() -> {
                killed.set(true);
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }, def.commandTimeout().toNanos(), TimeUnit.NANOSECONDS);
            return p.onExit().thenApply(x -> {
                killer.cancel(false);
                long took = System.nanoTime() - start;
                if (killed.get()) {
                    return CheckResult.fail(Reason.TIMEOUT, "killed after " + def.commandTimeout().toMillis() + " ms", took);
                }
                int exit = p.exitValue();
                return exit == 0 ? CheckResult.ok(took) : CheckResult.fail(Reason.EXIT_CODE, "exit status " + exit, took);
            });
        }).exceptionally(e -> {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause.getCause() instanceof IOException io) {
                cause = io;
            }
            return CheckResult.fail(Reason.ERROR, "cannot run " + def.command().get(0) + ": " + cause.getMessage(),
                    System.nanoTime() - start);
        });
    }
}
