package io.corral.panel.agent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.corral.panel.limits.Limits;
import io.corral.panel.limits.Rates;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

/**
 * The panel's only way to host agents: calls over HTTPS, trusting only the certificate pinned for each
 * host. A failure becomes an {@link AgentException} carrying the agent's own message (its problem
 * detail), or saying that the agent could not be reached, presented another certificate, or answered what the panel
 * does not read (past {@link AnswerCap}'s bounds, or not the JSON asked for).
 */
@ApplicationScoped
public class AgentClient {
    /** How long an ordinary call may take to answer: a stop waits out the server's grace, a create makes its disk. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(120);
    /** A template's build: a Debian root is fetched and unpacked. */
    private static final Duration TEMPLATE_BUILD = Duration.ofMinutes(15);
    /** A move's copy of a whole disk, the agent's bound on any answer. */
    private static final Duration MOVE = Duration.ofHours(2);
    /** How much longer than its command an exec may take to answer: the agent ends the command at its timeout. */
    private static final Duration EXEC_MARGIN = Duration.ofSeconds(30);
    /** How long an idle connection to an agent is kept (the agent keeps its own 30 s longer: host-agent/README.md). */
    static final Duration IDLE_CONNECTION = Duration.ofMinutes(5);
    /** How often a client's pool is searched for connections past their time. */
    private static final Duration POOL_CLEANER_PERIOD = Duration.ofSeconds(10);
    private static final TypeReference<List<ServerState>> SERVER_LIST = new TypeReference<>() {
    };
    private static final TypeReference<List<SampleRound>> SAMPLE_ROUNDS = new TypeReference<>() {
    };
    private final Map<String, AgentApi> clients = new ConcurrentHashMap<>();
    @Inject
    ObjectMapper json;

    public HostFacts host(Agent agent) {
        return call(agent, HostFacts.class, c -> c.api().host(c.auth()));
    }

    public List<ServerState> servers(Agent agent) {
        return call(agent, SERVER_LIST, c -> c.api().servers(c.auth()));
    }

    /** The server as the agent has it; empty if the agent has no such server. */
    public Optional<ServerState> server(Agent agent, String id) {
        try {
            return Optional.of(call(agent, ServerState.class, c -> c.api().server(c.auth(), id)));
        } catch (AgentException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Makes the server, and with start boots it too: one call to the state it should reach. network: its
     * place on a network, null for a server with loopback only; firewall: null for one never set (open);
     * forwards: null for none; credentials: null for none.
     */
    public ServerState create(Agent agent, String id, String hostname, String template, Limits limits, Rates rates, boolean start,
                              NetworkSpec network, FirewallSpec firewall, List<ForwardSpec> forwards, CredentialsSpec credentials) {
        return create(agent, id, hostname, template, limits, rates, start, network, firewall, forwards, credentials, null);
    }

    /** As {@link #create}; with moveToken, as the receiving end of a move, which the sending agent reaches with that token. */
    public ServerState create(Agent agent, String id, String hostname, String template, Limits limits, Rates rates, boolean start,
                              NetworkSpec network, FirewallSpec firewall, List<ForwardSpec> forwards, CredentialsSpec credentials,
                              String moveToken) {
        return call(agent, ServerState.class, c -> c.api().create(c.auth(), new AgentDtos.Create(id, hostname, template,
                new AgentDtos.AgentLimits(limits, rates), start, network, firewall, forwards, credentials, moveToken)));
    }

    /** Builds the template on the host where it is missing (a Debian one takes a minute or more); one it has is left alone. */
    public void buildTemplate(Agent agent, String template) {
        call(agent, TEMPLATE_BUILD, "template", Void.class, c -> c.api().buildTemplate(c.auth(), template));
    }

    /**
     * Sends the server from the agent to the receiving one (a server made there as the receiving end with the same token):
     * copied while it runs, stopped, the rest copied and checked there. Answers when the receiver has committed; the
     * server is then stopped here. A whole disk's copy may take long: the answer is awaited for {@link #MOVE}.
     */
    public MoveSent send(Agent from, String id, Agent to, String token) {
        return call(from, MOVE, null, MoveSent.class,
                c -> c.api().send(c.auth(), id, new AgentDtos.Send(to.url(), to.fingerprint(), token)));
    }

    /** start, stop, restart or reinstall. */
    public ServerState act(Agent agent, String id, String action) {
        return call(agent, ServerState.class, c -> c.api().act(c.auth(), id, action));
    }

    /**
     * A fresh root filesystem; a server on a network is sent its network again (net-contract.md), and its
     * firewall where one was set, its forwards and root's credentials (null: none); a server with none of them
     * gets no body.
     */
    public ServerState reinstall(Agent agent, String id, NetworkSpec network, FirewallSpec firewall, List<ForwardSpec> forwards,
                                 CredentialsSpec credentials) {
        return network == null && firewall == null && forwards == null && credentials == null ? act(agent, id, "reinstall")
                : call(agent, ServerState.class,
                        c -> c.api().reinstall(c.auth(), id, new AgentDtos.Reinstall(network, firewall, forwards, credentials)));
    }

    /** Replaces root's SSH keys: written into a running server at once, into a stopped one at its next boot. */
    public void sshKeys(Agent agent, String id, List<String> keys) {
        call(agent, Void.class, c -> c.api().sshKeys(c.auth(), id, new AgentDtos.SshKeys(keys)));
    }

    /** Replaces the server's port forwards whole, at once whether it runs or not. */
    public List<ForwardSpec> forwards(Agent agent, String id, List<ForwardSpec> forwards) {
        return call(agent, AgentDtos.Forwards.class, c -> c.api().forwards(c.auth(), id, new AgentDtos.Forwards(forwards))).forwards();
    }

    /** The server's forwards as its agent holds them. */
    public List<ForwardSpec> forwardsOf(Agent agent, String id) {
        return call(agent, AgentDtos.Forwards.class, c -> c.api().forwardsOf(c.auth(), id)).forwards();
    }

    /** The server's firewall as its agent holds it (open, allow and no rules, when never set). */
    public FirewallSpec firewallOf(Agent agent, String id) {
        return call(agent, FirewallSpec.class, c -> c.api().firewallOf(c.auth(), id));
    }

    /** Replaces the server's firewall: at once on a running server, from its next boot on a stopped one. */
    public FirewallSpec firewall(Agent agent, String id, FirewallSpec firewall) {
        return call(agent, FirewallSpec.class, c -> c.api().firewall(c.auth(), id, firewall));
    }

    /** All of the server's limits, its plan's rates with them. */
    public ServerState limits(Agent agent, String id, Limits limits, Rates rates) {
        return call(agent, ServerState.class, c -> c.api().limits(c.auth(), id, new AgentDtos.AgentLimits(limits, rates)));
    }

    public void destroy(Agent agent, String id) {
        call(agent, Void.class, c -> c.api().destroy(c.auth(), id));
    }

    /**
     * Snapshots the server's disk (a running one frozen for the copy); the same id again gives the snapshot made
     * already, so a retry after a lost answer makes none twice.
     */
    public DiskSnapshot snapshot(Agent agent, String id, String snapshotId) {
        return call(agent, DiskSnapshot.class, c -> c.api().snapshot(c.auth(), id, new AgentDtos.Copy(snapshotId)));
    }

    /** Puts the server's disk back to the snapshot's (stopped for it, started again if it ran); the snapshot stays. */
    public ServerState restoreSnapshot(Agent agent, String id, String snapshotId) {
        return call(agent, ServerState.class, c -> c.api().restoreSnapshot(c.auth(), id, snapshotId));
    }

    /** Deletes the snapshot; one already gone counts as deleted. */
    public void deleteSnapshot(Agent agent, String id, String snapshotId) {
        call(agent, Void.class, c -> c.api().deleteSnapshot(c.auth(), id, snapshotId));
    }

    /** Backs the server's disk up to the host's backup store, incrementally; idempotent on the backup's id as a snapshot is. */
    public DiskBackup backup(Agent agent, String id, String backupId) {
        return call(agent, DiskBackup.class, c -> c.api().backup(c.auth(), id, new AgentDtos.Copy(backupId)));
    }

    /**
     * Puts a backup of the server sourceId (this one or another) in place of the server's disk, checking every chunk
     * first: a backup that fails its checksum is refused (422 naming backupId) with the server unchanged.
     */
    public ServerState restoreBackup(Agent agent, String id, String sourceId, String backupId) {
        return call(agent, ServerState.class, c -> c.api().restoreBackup(c.auth(), id, new AgentDtos.Restore(sourceId, backupId)));
    }

    /** The compressed bytes the server's backups take in its host's store, each chunk counted once however many share it. */
    public long backupStorage(Agent agent, String id) {
        return call(agent, AgentDtos.BackupStorage.class, c -> c.api().backupStorage(c.auth(), id)).storedBytes();
    }

    /** Deletes the backup of the server id from the host's store, and the chunks no other backup uses. */
    public void deleteBackup(Agent agent, String id, String backupId) {
        call(agent, Void.class, c -> c.api().deleteBackup(c.auth(), id, backupId));
    }

    /** Runs a command in the server; the agent answers when it has ended, at its timeout at the latest. A 400 is the command's fault. */
    public ExecOutput exec(Agent agent, String id, List<String> command, int timeoutSeconds) {
        return call(agent, Duration.ofSeconds(timeoutSeconds).plus(EXEC_MARGIN), "command", ExecOutput.class,
                c -> c.api().exec(c.auth(), id, new AgentDtos.Exec(command, timeoutSeconds)));
    }

    /**
     * A console session in the running server: a ticket from the agent's API, then its console
     * listener (see {@link AgentConsole}). A server past its bound of sessions is the agent's 429.
     */
    public AgentConsole console(Agent agent, String id) {
        AgentDtos.ConsoleTicket ticket = call(agent, AgentDtos.ConsoleTicket.class, c -> c.api().console(c.auth(), id));
        return AgentConsole.connect(agent, ticket.port(), ticket.token());
    }

    public IsolationReport isolation(Agent agent, String id) {
        return call(agent, IsolationReport.class, c -> c.api().isolation(c.auth(), id));
    }

    /** At most limit bytes of the server's console log after the offset after (null: its last ones). */
    public ConsoleChunk console(Agent agent, String id, Long after, int limit) {
        return call(agent, ConsoleChunk.class, c -> c.api().console(c.auth(), id, after, limit));
    }

    /** The agent's sampling rounds after the given one, at most limit of them. */
    public List<SampleRound> samples(Agent agent, long after, int limit) {
        return call(agent, SAMPLE_ROUNDS, c -> c.api().samples(c.auth(), after, limit));
    }

    /** The SHA-256 fingerprint of the certificate the agent at this https:// address presents; nothing is sent to it. */
    public String presentedFingerprint(String url) throws IOException {
        return PresentedCertificate.fingerprint(url);
    }

    private <T> T call(Agent agent, Class<T> answer, Function<Call, Response> request) {
        return call(agent, READ_TIMEOUT, null, answer, request);
    }

    private <T> T call(Agent agent, TypeReference<T> answer, Function<Call, Response> request) {
        return call(agent, READ_TIMEOUT, null, json.getTypeFactory().constructType(answer), request);
    }

    private <T> T call(Agent agent, Duration readTimeout, String field, Class<T> answer, Function<Call, Response> request) {
        return call(agent, readTimeout, field, json.constructType(answer), request);
    }

    /** field: the request field a refusal of bad input (the agent's 400) names; answer: what a success carries (Void: nothing read). */
    private <T> T call(Agent agent, Duration readTimeout, String field, JavaType answer, Function<Call, Response> request) {
        if (agent.fingerprint() == null) {
            throw new AgentException(0, null, r -> r.agent_not_pinned(agent.host()));
        }
        AgentApi api = clients.computeIfAbsent(agent.url() + " " + agent.fingerprint() + " " + readTimeout.toSeconds(), key -> {
            QuarkusRestClientBuilder client = QuarkusRestClientBuilder.newBuilder()
                    .baseUri(URI.create(agent.url()))
                    .tlsConfiguration(CertificatePin.tlsConfiguration(agent.fingerprint()))
                    .connectTimeout(5, TimeUnit.SECONDS)
                    .readTimeout(readTimeout.toSeconds(), TimeUnit.SECONDS)
                    // an error answer is read here, under the cap, not buffered whole by the client's default mapper
                    .disableDefaultMapper(true)
                    .register(new AnswerCap(readTimeout));
            if (readTimeout.equals(READ_TIMEOUT)) {
                // the rounds' client keeps its connections for minutes, not Vert.x's 60 s: a panel that visits a host less
                // often (two panels sharing 5,000 hosts, a round running late) paid a TLS handshake each visit and fell
                // further behind (bench/RESULTS.md, "Scale"); the agent keeps idle connections longer still. Clients of
                // long calls (one per exec timeout) keep Vert.x's 60 s, so they hold few of the agent's idle slots.
                client.property(QuarkusRestClientProperties.CONNECTION_TTL, (int) IDLE_CONNECTION.toSeconds());
            }
            // each client checks its pool for expired connections on a timer of its own, every second by default: at 5,000
            // hosts that was a fifth of a panel's CPU (bench/RESULTS.md, "Scale"). Connections live minutes, and the agent
            // keeps an idle one 30 s longer than the panel, so one expiring up to 10 s late is still the agent's to take.
            client.httpClientOptionsCustomizer(options -> options.setPoolCleanerPeriod((int) POOL_CLEANER_PERIOD.toMillis()));
            return client.build(AgentApi.class);
        });
        try (Response response = request.apply(new Call(api, "Bearer " + agent.secret()))) {
            int status = response.getStatus();
            if (response.getStatusInfo().getFamily() != Response.Status.Family.SUCCESSFUL) {
                AgentDtos.Problem problem = problem(response);
                // the agent names the field of what it could not take (a backup that failed its checksum); a 400 is the request's
                String detail = String.valueOf(problem.detail()); // "null" where the agent gave none, as before: a message leaves out a null
                throw new AgentException(status, status == 422 ? problem.field() : field, r -> r.agent_answered(agent.host(), detail));
            }
            return read(response, answer);
        } catch (JsonProcessingException | AnswerCap.Refused e) {
            String reason = e instanceof JsonProcessingException malformed ? malformed.getOriginalMessage() : e.getMessage();
            throw new AgentException(0, null, r -> r.agent_answer_unreadable(agent.host(), reason));
        } catch (IOException | ProcessingException e) {
            Optional<CertificatePin.Mismatch> mismatch = mismatch(e);
            if (mismatch.isPresent()) {
                throw new AgentException(0, null, r -> r.agent_certificate_refused(agent.host(), agent.url(), mismatch.get().getMessage()));
            }
            String reason = rootMessage(e);
            throw new AgentException(0, null, r -> r.agent_unreachable(agent.host(), agent.url(), reason));
        }
    }

    /** The agent's problem detail; "HTTP <status>" where it gave none that can be read. */
    private AgentDtos.Problem problem(Response response) {
        try {
            return read(response, json.constructType(AgentDtos.Problem.class));
        } catch (IOException | RuntimeException unreadable) {
            return new AgentDtos.Problem(response.getStatus(), "HTTP " + response.getStatus(), null);
        }
    }

    /**
     * The answer's value (none for Void), read to the end of its body: a connection whose answer ended serves the next call,
     * one left before its end is closed ({@link AnswerCap}).
     */
    private <T> T read(Response response, JavaType answer) throws IOException {
        try (InputStream body = response.readEntity(InputStream.class)) {
            T value = answer.hasRawClass(Void.class) ? null
                    : json.readerFor(answer).without(JsonParser.Feature.AUTO_CLOSE_SOURCE).readValue(body);
            body.transferTo(OutputStream.nullOutputStream());
            return value;
        }
    }

    private static Optional<CertificatePin.Mismatch> mismatch(Throwable t) {
        for (; t != null; t = t.getCause()) {
            if (t instanceof CertificatePin.Mismatch m) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** One call's API and credentials. */
    private record Call(AgentApi api, String auth) {
    }
}
