package io.corral.panel.console;

import io.corral.panel.common.CurrentUser;
import io.corral.panel.common.DomainException;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.PathParam;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The browser's end of a console, signed in with the panel's session (its cookie, checked on the
 * upgrade like any page) from a page of the panel itself ({@link SameOrigin}). The browser sends text
 * messages: "i" and what was typed or pasted, "r" and the terminal's rows and columns ("r24,80"); it
 * gets binary messages, what the terminal wrote, and text messages "refused: ..." or "ended: ..."
 * before the panel closes.
 */
@WebSocket(path = "/servers/{id}/console/socket")
@RolesAllowed({CurrentUser.ADMIN, CurrentUser.CUSTOMER})
public class ConsoleSocket {
    static final int MAX_ROWS = 500, MAX_COLUMNS = 1000;
    private static final Pattern SIZE = Pattern.compile("r(\\d{1,4}),(\\d{1,4})");
    @Inject
    ConsoleService consoles;
    @Inject
    ConsoleSessions sessions;

    @OnOpen
    public void open(WebSocketConnection connection, @PathParam String id) {
        try {
            if (!id.matches("\\d{1,18}")) {
                throw DomainException.notFound(r -> r.server_named_not_found(id));
            }
            ConsoleService.Target target = consoles.target(Long.parseLong(id));
            sessions.reserve(target.place());
            try {
                sessions.start(consoles.open(target, connection));
            } catch (RuntimeException e) {
                sessions.unreserve(target.place());
                throw e;
            }
        } catch (DomainException e) {
            connection.sendTextAndAwait("refused: " + e.getMessage());
            connection.closeAndAwait(new CloseReason(CloseReason.NORMAL.getCode(), "refused"));
        }
    }

    @OnTextMessage
    public void input(WebSocketConnection connection, String message) {
        ConsoleSession session = sessions.of(connection.id());
        if (session == null) {
            return;
        }
        try {
            if (message.startsWith("i")) {
                session.lastInput = Instant.now();
                session.agent.input(message.substring(1).getBytes(StandardCharsets.UTF_8));
                return;
            }
            Matcher size = SIZE.matcher(message);
            int rows = size.matches() ? Integer.parseInt(size.group(1)) : 0, columns = size.matches() ? Integer.parseInt(size.group(2)) : 0;
            if (rows < 1 || rows > MAX_ROWS || columns < 1 || columns > MAX_COLUMNS) {
                sessions.end(session, "the browser sent what a console does not take (input \"i…\", or \"r<rows>,<columns>\" of at most "
                        + MAX_ROWS + " rows and " + MAX_COLUMNS + " columns)");
                return;
            }
            session.agent.resize(rows, columns);
        } catch (IOException e) {
            sessions.end(session, "the host's agent went away: " + e.getMessage());
        }
    }

    @OnClose
    public void closed(WebSocketConnection connection) {
        ConsoleSession session = sessions.of(connection.id());
        if (session != null) {
            sessions.end(session, "closed by the browser");
        }
    }
}
