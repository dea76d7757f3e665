package io.corral.agent.sys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a host tool (mkfs.ext4, ip, nft, ...) to completion; a non-zero exit is an error quoting its output.
 * Each run is bounded: a tool that has not exited by its deadline, or prints more than {@link #MAX_OUTPUT}
 * bytes, is killed with what it started and the run fails saying which. Callers often hold a server's lock
 * meanwhile, and a tool stuck on a device or a kernel lock would otherwise hold it, and its thread, for good.
 */
public final class Command {
    /** ip, tc, nft and the like answer in milliseconds; past this they are stuck, not slow. */
    private static final Duration QUICK = Duration.ofSeconds(30);
    /** Far above any answer a tool here gives (nft's counters for a full host are a few hundred KiB). */
    static final int MAX_OUTPUT = 16 << 20;

    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "command-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    private Command() {
    }

    public static String run(String... command) {
        return run(Map.of(), command);
    }

    /** environment: added to the agent's own; the way to hand a tool a password, which its arguments would show in ps. */
    public static String run(Map<String, String> environment, String... command) {
        return run(environment, null, QUICK, command);
    }

    /** For a tool whose work grows with what it is given (a disk's check, a root filesystem's download). */
    public static String runWithin(Duration within, String... command) {
        return run(Map.of(), null, within, command);
    }

    /** input: the tool's standard input (a batch for ip or nft, say). */
    public static String runWithInput(String input, String... command) {
        return run(Map.of(), input, QUICK, command);
    }

    public static String runWithInput(Map<String, String> environment, String input, String... command) {
        return run(environment, input, QUICK, command);
    }

    private static String run(Map<String, String> environment, String input, Duration within, String... command) {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
        // the backup store's access key may be in the agent's environment: no host tool needs it
        pb.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        pb.environment().putAll(environment);
        if (input == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException(command[0] + " could not be started: " + e.getMessage(), e);
        }
        AtomicReference<String> killedFor = new AtomicReference<>();
        ScheduledFuture<?> deadline = DEADLINES.schedule(
                () -> kill(p, killedFor, "did not finish within " + describe(within)), within.toMillis(), TimeUnit.MILLISECONDS);
        try {
            if (input != null) {
                try (var stdin = p.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = read(p, killedFor);
            int exit = p.waitFor();
            if (killedFor.get() != null) {
                throw killed(command, killedFor.get());
            }
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + exit
                        + (output.isEmpty() ? "" : ": " + (input == null ? output.lines().reduce((a, b) -> b).orElse("")
                                : String.join(" | ", output.lines().map(String::strip).toList()))));
            }
            return output;
        } catch (IOException e) {
            // a tool killed while its input was being written breaks the pipe: its deadline is the reason
            throw killedFor.get() != null ? killed(command, killedFor.get())
                    : new IllegalStateException(command[0] + " could not be given its input: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            // the agent is stopping: nobody will read what the tool does from here on
            kill(p, killedFor, "was interrupted");
            Thread.currentThread().interrupt();
            throw new IllegalStateException(command[0] + " was interrupted", e);
        } finally {
            deadline.cancel(false);
        }
    }

    private static String read(Process p, AtomicReference<String> killedFor) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = p.getInputStream()) {
            for (int n; (n = in.read(buffer)) != -1; ) {
                if (output.size() + n > MAX_OUTPUT) {
                    kill(p, killedFor, "printed more than " + (MAX_OUTPUT >> 20) + " MiB");
                    break;
                }
                output.write(buffer, 0, n);
            }
        }
        return output.toString(StandardCharsets.UTF_8).trim();
    }

    /**
     * Its children first: killed after it, they would be the init's and out of reach, and could hold its output open. A
     * tool that has exited leaving a child in the background with its output (none the agent runs does) is not reached.
     */
    private static void kill(Process p, AtomicReference<String> killedFor, String reason) {
        if (!p.isAlive() || !killedFor.compareAndSet(null, reason)) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static IllegalStateException killed(String[] command, String reason) {
        return new IllegalStateException(String.join(" ", command) + " " + reason + ", and was killed");
    }

    private static String describe(Duration within) {
        return within.toMillis() % 1000 == 0 ? within.toSeconds() + " s" : within.toMillis() + " ms";
    }
}
