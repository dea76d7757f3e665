package io.corral.agent.server;

import io.corral.agent.AgentException;
import io.corral.agent.containment.Containment;
import io.corral.agent.sys.HostTools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command inside all of a running server's namespaces and cgroups, held in as its init is (see
 * {@link Containment}): the host's busybox, started from a confined thread, joins the cgroups, its
 * nsenter applet enters the namespaces and the root of the server's init, and its setpriv applet
 * gives up CAP_SYS_ADMIN as it execs the command. A command without a slash goes through the
 * server's own /bin/sh, so it is found on the server's PATH rather than taken for a busybox applet.
 *
 * For a server with a user namespace of its own, a first nsenter enters the namespaces the host's
 * user namespace owns (UTS, IPC), a second the server's user namespace and then the network, PID and
 * mount namespaces that belong to it, and the helper enters its cgroup namespace and confines
 * inside it before the command runs.
 */
final class Exec {
    static final int MAX_OUTPUT = 1 << 20;
    private static final List<String> ENV = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME=/root", "TERM=dumb", "LANG=C.UTF-8");

    private Exec() {
    }

    /** helper: the user namespace helper for a server with a range of its own, else null. */
    static ExecResult run(InitProcess init, List<Path> procsFiles, boolean deviceControl, Path helper,
                          List<String> command, Duration timeout) {
        if (command == null || command.isEmpty() || command.get(0).isEmpty()) {
            throw AgentException.invalid("command", "must name a program to run");
        }
        String busybox = HostTools.busybox().toString();
        StringBuilder script = new StringBuilder();
        for (Path procs : procsFiles) {
            script.append("echo 0 > '").append(procs).append("' || exit 125\n");
        }
        if (helper == null) {
            script.append("exec nsenter -t ").append(init.pid()).append(" -m -u -i -n -p -r -w setpriv --inh-caps -")
                    .append(Containment.SCRIPT_CAPABILITY).append(" \"$@\"\n");
        } else {
            script.append("exec ").append(Containment.HELPER_FD).append("<'").append(helper).append("' || exit 125\n")
                    .append("exec nsenter -t ").append(init.pid()).append(" -u -i nsenter -t ").append(init.pid())
                    .append(" -U -n -p -m -r -w ").append(Containment.helperConfinement(deviceControl)).append(" \"$@\"\n");
        }
        List<String> argv = new ArrayList<>(List.of(busybox, "sh", "-c", script.toString(), "corral-exec"));
        if (!command.get(0).contains("/")) {
            argv.addAll(List.of("/bin/sh", "-c", "exec \"$0\" \"$@\""));
        }
        argv.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        for (String kv : ENV) {
            int eq = kv.indexOf('=');
            pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process process = Containment.onConfinedThread(deviceControl, pb::start);
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor();
            }
            return new ExecResult(finished ? process.exitValue() : 124, stdout.join(), stderr.join(), !finished);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentException.failed("exec interrupted", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw AgentException.failed("exec could not start: " + e.getMessage(), e);
        }
    }

    private static String drain(InputStream in) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                kept.write(buffer, 0, Math.max(0, Math.min(n, MAX_OUTPUT - kept.size())));
            }
        } catch (IOException e) {
            // the process ended: what was read is the output
        }
        return kept.toString(StandardCharsets.UTF_8);
    }
}
