package io.corral.agent.cli;

import io.corral.agent.Agent;
import io.corral.agent.AgentException;
import io.corral.agent.Json;
import io.corral.agent.StateDir;
import io.corral.agent.api.AgentCertificate;
import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.lifecycle.ServerView;
import io.corral.agent.network.NetworkSpec;
import io.corral.agent.runtime.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** corral-agent: the host agent's command line for admins on the host, and `serve` for the panel. */
@Command(name = "corral-agent", mixinStandardHelpOptions = true, version = "corral-agent 0.1",
        description = "Builds and runs Corral's virtual servers on this host.",
        subcommands = {TemplateCommand.class, Main.Create.class, Main.Start.class, Main.Stop.class,
                Main.Restart.class, Main.Reinstall.class, Main.Destroy.class, Main.Limits.class, Main.Exec.class,
                Main.ListServers.class, Main.Status.class, Main.Stats.class, Main.Isolation.class, Main.Console.class, SnapshotCommand.class, BackupCommand.class, Main.Host.class, Main.Fingerprint.class, ServeCommand.class})
public final class Main {
    @Option(names = "--state-dir", description = "Where servers and templates live (default: $CORRAL_STATE_DIR or /var/lib/corral).")
    Path stateDir;

    @Option(names = "--stop-grace", description = "Seconds a server's init has to shut down before it is killed (default: ${DEFAULT-VALUE}).",
            defaultValue = "10")
    int stopGraceSeconds;

    @Option(names = "--user-namespaces", description = "on: new servers get a user namespace and host id range of their own, "
            + "where the kernel allows it; off: their root is the host's root, held in by the rest of the containment "
            + "(default: $CORRAL_USER_NAMESPACES or on).")
    String userNamespaces;

    @CommandLine.Mixin
    BackupStoreOptions backupStore = new BackupStoreOptions();

    private Agent agent;

    /** --state-dir, else $CORRAL_STATE_DIR, else the default. */
    Path stateDir() {
        if (stateDir != null) {
            return stateDir;
        }
        String env = System.getenv("CORRAL_STATE_DIR");
        return env != null ? Path.of(env) : StateDir.DEFAULT;
    }

    Agent agent() {
        if (agent == null) {
            Path dir = stateDir();
            String users = userNamespaces != null ? userNamespaces : System.getenv().getOrDefault("CORRAL_USER_NAMESPACES", "on");
            if (!users.equals("on") && !users.equals("off")) {
                throw AgentException.invalid("--user-namespaces", "must be on or off, not '" + users + "'");
            }
            agent = Agent.open(dir, Duration.ofSeconds(stopGraceSeconds), users.equals("on"), backupStore.open(System.getenv()));
        }
        return agent;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String message = e instanceof AgentException ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            cmd.getErr().println("corral-agent: " + message.lines().findFirst().orElse(""));
            return 1;
        });
        return cli.execute(args);
    }

    static void print(Object value) throws Exception {
        System.out.println(Json.MAPPER.writeValueAsString(value));
    }

    static String row(ServerView v) {
        return String.format("%-12s %-8s %-24s %-10s %6d %5.2f %6d %7d", v.id(), v.state(), v.hostname(), v.template(),
                v.limits().memoryMiB(), v.limits().cpus(), v.limits().pids(), v.limits().diskMiB());
    }

    abstract static class Sub implements Callable<Integer> {
        @CommandLine.ParentCommand Main main;
    }

    abstract static class OnServer extends Sub {
        @Parameters(index = "0", paramLabel = "ID", description = "The server's id.") String id;
    }

    @Command(name = "create", description = "Create a server (stopped, unless --start).")
    static final class Create extends OnServer {
        @Option(names = "--hostname", required = true) String hostname;
        @Option(names = "--template", required = true) String template;
        @Option(names = "--start", description = "Boot it too; if the boot fails, it stays created and stopped.") boolean start;
        @Option(names = "--network", paramLabel = "JSON", description = "Its network, as the API's network object:"
                + " '{\"name\":\"pub1\",\"kind\":\"public\",\"tenant\":\"acme\",\"ipv4\":\"198.51.100.10/24\",\"gateway4\":\"198.51.100.1\"}'.")
        String network;
        @CommandLine.Mixin LimitOptions limits = new LimitOptions();

        @Override
        public Integer call() {
            NetworkSpec place;
            try {
                place = network == null ? null : Json.MAPPER.readValue(network, NetworkSpec.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw AgentException.invalid("network", "not a network object: " + e.getOriginalMessage());
            }
            ServerView v = main.agent().servers().create(new CreateRequest(id, hostname, template, limits.change(), start, place));
            System.out.println((start ? "created and started " : "created ") + v.id());
            return 0;
        }
    }

    @Command(name = "start", description = "Start a stopped server.")
    static final class Start extends OnServer {
        @Override
        public Integer call() {
            ServerView v = main.agent().servers().start(id);
            System.out.println("started " + v.id() + " (init pid " + v.initPid() + ")");
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop a running server: its init's shutdown signal, then kill after the grace period.")
    static final class Stop extends OnServer {
        @Override
        public Integer call() {
            main.agent().servers().stop(id);
            System.out.println("stopped " + id);
            return 0;
        }
    }

    @Command(name = "restart", description = "Stop and start a running server.")
    static final class Restart extends OnServer {
        @Override
        public Integer call() {
            ServerView v = main.agent().servers().restart(id);
            System.out.println("restarted " + v.id() + " (init pid " + v.initPid() + ")");
            return 0;
        }
    }

    @Command(name = "reinstall", description = "Give a server a fresh root filesystem from its template (its files are lost).")
    static final class Reinstall extends OnServer {
        @Override
        public Integer call() {
            main.agent().servers().reinstall(id);
            System.out.println("reinstalled " + id);
            return 0;
        }
    }

    @Command(name = "destroy", description = "Stop a server and remove everything it had.")
    static final class Destroy extends OnServer {
        @Override
        public Integer call() {
            main.agent().servers().destroy(id);
            System.out.println("destroyed " + id);
            return 0;
        }
    }

    @Command(name = "limits", description = "Change a server's limits (disk only while stopped).")
    static final class Limits extends OnServer {
        @CommandLine.Mixin LimitOptions limits = new LimitOptions();

        @Override
        public Integer call() throws Exception {
            print(main.agent().servers().limits().change(id, limits.change(), null).limits());
            return 0;
        }
    }

    @Command(name = "exec", description = "Run a command inside a running server; exits with the command's exit code.")
    static final class Exec extends OnServer {
        @Option(names = "--timeout", description = "Seconds before the command is killed (default: ${DEFAULT-VALUE}).", defaultValue = "60")
        int timeoutSeconds;
        @Parameters(index = "1..*", paramLabel = "COMMAND", arity = "1..*") List<String> command;

        @Override
        public Integer call() {
            ExecResult r = main.agent().servers().access().exec(id, command, Duration.ofSeconds(timeoutSeconds));
            System.out.print(r.stdout());
            System.err.print(r.stderr());
            if (r.timedOut()) {
                System.err.println("corral-agent: killed after " + timeoutSeconds + " s");
            }
            return r.exitCode();
        }
    }

    @Command(name = "list", description = "List servers with their observed state.")
    static final class ListServers extends Sub {
        @Override
        public Integer call() {
            System.out.println(String.format("%-12s %-8s %-24s %-10s %6s %5s %6s %7s", "ID", "STATE", "HOSTNAME", "TEMPLATE",
                    "MEMMiB", "CPUS", "PIDS", "DISKMiB"));
            main.agent().servers().list().forEach(v -> System.out.println(row(v)));
            return 0;
        }
    }

    @Command(name = "status", description = "One server, as JSON.")
    static final class Status extends OnServer {
        @Override
        public Integer call() throws Exception {
            print(main.agent().servers().get(id));
            return 0;
        }
    }

    @Command(name = "stats", description = "A server's usage counters, as JSON.")
    static final class Stats extends OnServer {
        @Override
        public Integer call() throws Exception {
            print(main.agent().servers().stats(id));
            return 0;
        }
    }

    @Command(name = "isolation", description = "How a running server is held in (namespaces, capabilities, seccomp, devices), as JSON.")
    static final class Isolation extends OnServer {
        @Override
        public Integer call() throws Exception {
            print(main.agent().servers().access().isolation(id));
            return 0;
        }
    }

    @Command(name = "console", description = "The end of a server's console log (its init's output), as its bytes.")
    static final class Console extends OnServer {
        @Override
        public Integer call() throws Exception {
            System.out.write(main.agent().servers().access().console(id, null, null).data());
            System.out.flush();
            return 0;
        }
    }

    @Command(name = "host", description = "This host's facts and free capacity, as JSON.")
    static final class Host extends Sub {
        @Override
        public Integer call() throws Exception {
            print(main.agent().servers().facts());
            return 0;
        }
    }

    @Command(name = "fingerprint", description = "The SHA-256 fingerprint of the certificate `serve` presents (made now if there is none yet): "
            + "give it to the panel with the host, which pins it.")
    static final class Fingerprint extends Sub {
        @Override
        public Integer call() {
            System.out.println(AgentCertificate.loadOrCreate(StateDir.of(main.stateDir())).fingerprint());
            return 0;
        }
    }
}
