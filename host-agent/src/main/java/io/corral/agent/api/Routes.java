package io.corral.agent.api;

import io.corral.agent.Agent;
import io.corral.agent.AgentException;
import io.corral.agent.Json;
import io.corral.agent.console.ConsoleServer;
import io.corral.agent.lifecycle.CreateRequest;
import io.corral.agent.move.CommitRequest;
import io.corral.agent.move.SendRequest;
import io.corral.agent.lifecycle.ReinstallRequest;
import io.corral.agent.lifecycle.ServerManager;
import io.corral.agent.lifecycle.SnapshotsAndBackups;
import io.corral.agent.network.Firewall;
import io.corral.agent.network.Forward;
import io.corral.agent.spec.LimitsChange;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The /v1 routes; each a line or two calling the agent's parts. */
final class Routes {
    record Response(int status, Object body) {
    }

    /** The body of PUT and GET /v1/servers/{id}/ssh-keys. */
    record SshKeysBody(List<String> sshKeys) {
    }

    /** The body of a create that is idempotent on the id the panel chose (snapshots, backups). */
    record IdBody(String id) {
    }

    /** The body of POST /v1/servers/{id}/restore: which server's backup. */
    record RestoreBody(String serverId, String backupId) {
    }

    /** The body of PUT and GET /v1/servers/{id}/forwards. */
    record ForwardsBody(List<Forward> forwards) {
    }

    private final Agent agent;
    /** The port the API listens on, which no forward may take. */
    private final int port;
    private final ConsoleServer consoles;

    Routes(Agent agent, int port, ConsoleServer consoles) {
        this.agent = agent;
        this.port = port;
        this.consoles = consoles;
    }

    /** A whole-number query parameter, or the default when absent. */
    static long queryLong(String query, String name, long fallback) {
        Long value = queryLong(query, name);
        return value == null ? fallback : value;
    }

    /** A whole-number query parameter, or null when absent. */
    static Long queryLong(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                try {
                    return Long.parseLong(pair.substring(name.length() + 1));
                } catch (NumberFormatException e) {
                    throw AgentException.invalid(name, "must be a whole number");
                }
            }
        }
        return null;
    }

    /** The only paths a move's token reaches, and nothing else: /v1/incoming/{id}/blocks/{offset} and /v1/incoming/{id}/commit. */
    static final Pattern TRANSFER = Pattern.compile("/v1/incoming/([^/]+)/(blocks/([0-9]{1,19})|commit)");

    /** Refuses a block or commit whose bearer is not the move's token (checked again under the server's lock at the commit). */
    void authorizeTransfer(String path, String authorization) {
        Matcher m = TRANSFER.matcher(path);
        if (m.matches()) {
            agent.moves().authorize(m.group(1), authorization);
        }
    }

    /** A move's block or commit, authorized by the move's token alone. */
    Response transfer(String method, String path, String authorization, byte[] body) throws IOException {
        Matcher m = TRANSFER.matcher(path);
        if (!m.matches()) {
            throw AgentException.notFound("path " + path);
        }
        String id = m.group(1);
        if (m.group(3) != null && method.equals("PUT")) {
            long offset;
            try {
                offset = Long.parseLong(m.group(3));
            } catch (NumberFormatException e) {
                throw AgentException.invalid("offset", "must be a whole number");
            }
            agent.moves().receiveBlock(id, authorization, offset, body);
            return new Response(204, null);
        }
        if (m.group(3) == null && method.equals("POST")) {
            return ok(agent.moves().commit(id, authorization, read(body, CommitRequest.class)));
        }
        throw new AgentException(AgentException.Kind.NOT_FOUND, "no such endpoint: " + method + " " + path);
    }

    Response route(String method, String path, String query, byte[] body) throws IOException {
        ServerManager servers = agent.servers();
        String[] p = path.replaceAll("/+$", "").split("/");
        // p[0] is empty, p[1] must be "v1"
        if (p.length < 3 || !p[1].equals("v1")) {
            throw AgentException.notFound("path " + path);
        }
        // servers/{}/snapshots/{}/restore: ids in the odd places after the collection, words in the even ones
        String key = method + " " + p[2] + (p.length > 3 ? "/{}" : "") + (p.length > 4 ? "/" + p[4] : "")
                + (p.length > 5 ? "/{}" : "") + (p.length > 6 ? "/" + p[6] : "") + (p.length > 7 ? "/.." : "");
        String id = p.length > 3 ? p[3] : null;
        String subId = p.length > 5 ? p[5] : null;
        SnapshotsAndBackups copies = agent.snapshotsAndBackups();
        return switch (key) {
            case "GET host" -> ok(servers.facts());
            case "GET samples" -> ok(agent.samples().after(queryLong(query, "after", 0), (int) Math.min(queryLong(query, "limit", 500), 5000)));
            case "GET templates" -> ok(agent.templates().list().stream().map(t -> t.name()).toList());
            case "POST templates/{}/build" -> ok(agent.templates().build(id).name());
            case "GET servers" -> ok(servers.list());
            case "POST servers" -> {
                CreateRequest request = read(body, CreateRequest.class);
                Forward.checkNotAgentPort(request.forwards(), port);
                yield new Response(201, servers.create(request));
            }
            case "GET servers/{}" -> ok(servers.get(id));
            case "DELETE servers/{}" -> {
                servers.destroy(id);
                yield new Response(204, null);
            }
            case "POST servers/{}/start" -> ok(servers.start(id));
            case "POST servers/{}/stop" -> ok(servers.stop(id));
            case "POST servers/{}/restart" -> ok(servers.restart(id));
            case "POST servers/{}/reinstall" -> {
                ReinstallRequest request = body.length == 0 ? new ReinstallRequest(null, null, null, null)
                        : read(body, ReinstallRequest.class);
                if (request.forwards() != null) {
                    Forward.checkNotAgentPort(request.forwards(), port);
                }
                yield ok(servers.reinstall(id, request.firewall(), request.forwards(), request.credentials()));
            }
            case "GET servers/{}/limits" -> ok(servers.limits().of(id));
            case "PUT servers/{}/limits" -> ok(servers.limits().change(id, read(body, LimitsChange.class), queryLong(query, "operation")));
            case "GET servers/{}/firewall" -> ok(servers.rules().firewall(id));
            case "PUT servers/{}/firewall" -> ok(servers.rules().changeFirewall(id, read(body, Firewall.class)));
            case "GET servers/{}/forwards" -> ok(new ForwardsBody(servers.rules().forwards(id)));
            case "PUT servers/{}/forwards" -> {
                ForwardsBody request = read(body, ForwardsBody.class);
                if (request.forwards() != null) {
                    Forward.checkNotAgentPort(request.forwards(), port);
                }
                yield ok(new ForwardsBody(servers.rules().changeForwards(id, request.forwards())));
            }
            case "GET servers/{}/ssh-keys" -> ok(new SshKeysBody(servers.access().sshKeys(id)));
            case "PUT servers/{}/ssh-keys" -> ok(new SshKeysBody(servers.access().changeSshKeys(id, read(body, SshKeysBody.class).sshKeys())));
            case "GET servers/{}/stats" -> ok(servers.stats(id));
            case "GET servers/{}/isolation" -> ok(servers.access().isolation(id));
            case "GET servers/{}/console" -> ok(servers.access().console(id, queryLong(query, "after"), queryLong(query, "limit")));
            case "POST servers/{}/snapshots" -> made(copies.snapshot(id, read(body, IdBody.class).id()));
            case "GET servers/{}/snapshots" -> ok(copies.listSnapshots(id));
            case "POST servers/{}/snapshots/{}/restore" -> ok(copies.restoreSnapshot(id, subId));
            case "DELETE servers/{}/snapshots/{}" -> {
                copies.deleteSnapshot(id, subId);
                yield new Response(204, null);
            }
            case "POST servers/{}/backups" -> made(copies.backup(id, read(body, IdBody.class).id()));
            case "GET servers/{}/backups" -> ok(copies.backups(id));
            case "GET backups" -> ok(copies.backups(queryString(query, "serverId")));
            case "GET servers/{}/backup-storage" -> ok(copies.backupStorage(id));
            case "DELETE servers/{}/backups/{}" -> {
                copies.deleteBackup(id, subId);
                yield new Response(204, null);
            }
            case "POST servers/{}/restore" -> {
                RestoreBody request = read(body, RestoreBody.class);
                yield ok(copies.restoreBackup(id, request.serverId(), request.backupId()));
            }
            case "POST servers/{}/exec" -> {
                ExecRequest request = read(body, ExecRequest.class);
                int timeout = request.timeoutSeconds() == null ? 60 : request.timeoutSeconds();
                if (timeout < 1 || timeout > 3600) {
                    throw AgentException.invalid("timeoutSeconds", "must be between 1 and 3600");
                }
                yield ok(servers.access().exec(id, request.command(), Duration.ofSeconds(timeout)));
            }
            case "POST servers/{}/console" -> new Response(201, consoles.ticket(id));
            case "POST servers/{}/send" -> ok(agent.moves().send(id, read(body, SendRequest.class)));
            default -> throw new AgentException(AgentException.Kind.NOT_FOUND, "no such endpoint: " + method + " " + path);
        };
    }

    /** 201 for what was made, 200 for what a retry finds made already. */
    private static Response made(SnapshotsAndBackups.Made<?> made) {
        return new Response(made.created() ? 201 : 200, made.value());
    }

    /** A text query parameter, or null when absent. */
    static String queryString(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static Response ok(Object body) {
        return new Response(200, body);
    }

    /** A request's JSON body; JSON's null (which Jackson reads as no object at all) is refused as a missing body. */
    private static <T> T read(byte[] body, Class<T> type) throws IOException {
        T value = Json.MAPPER.readValue(body, type);
        if (value == null) {
            throw AgentException.invalid("body", "must be a JSON object, got null");
        }
        return value;
    }
}
