package org.arca.web;

import static org.arca.web.Route.Audience.SIGNED_IN;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arca.core.Repository;
import org.arca.core.access.Caller;
import org.arca.core.accounts.PublicKeys;
import org.arca.sftp.PublicKeyLine;

/** What a user needs to connect with SFTP: the server's address and host key, and their registered public keys. */
final class SftpApi {

    private final Repository repo;
    private final WebConfig config;

    SftpApi(Repository repo, WebConfig config) {
        this.repo = repo;
        this.config = config;
    }

    List<Route> routes() {
        return new RouteList("sftp")
                .get("/api/v1/sftp", SIGNED_IN, "The SFTP server's address, port, host key fingerprint and a command to connect",
                        this::info)
                .get("/api/v1/users/me/keys", SIGNED_IN, "The caller's SSH public keys for SFTP", this::keys)
                .post("/api/v1/users/me/keys", SIGNED_IN, "Register an SSH public key (one line of id_*.pub)", this::addKey)
                .delete("/api/v1/users/me/keys/{id}", SIGNED_IN, "Remove an SSH public key", this::deleteKey)
                .routes();
    }

    private void info(Context ctx) {
        Caller caller = Callers.signedIn(ctx);
        SftpInfo sftp = config.sftp();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", sftp.enabled());
        if (sftp.enabled()) {
            // Behind a wildcard address the name the browser used is the one users can reach.
            String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? hostOf(ctx.host()) : config.host();
            view.put("host", host);
            view.put("port", sftp.port());
            view.put("hostKeyFingerprint", sftp.hostKeyFingerprint());
            view.put("command", "sftp -P " + sftp.port() + " " + caller.login() + "@" + host);
        }
        ctx.json(view);
    }

    private static String hostOf(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return "localhost";
        }
        if (hostHeader.startsWith("[")) {
            return hostHeader.substring(0, hostHeader.indexOf(']') + 1);
        }
        int colon = hostHeader.lastIndexOf(':');
        return colon < 0 ? hostHeader : hostHeader.substring(0, colon);
    }

    private void keys(Context ctx) {
        ctx.json(Map.of("keys", repo.publicKeys().list(Callers.signedIn(ctx))));
    }

    private void addKey(Context ctx) {
        ObjectNode body = Json.body(ctx);
        PublicKeyLine line = PublicKeyLine.parse(Json.requiredText(body, "key"));
        String name = Json.text(body, "name");
        PublicKeys.PublicKey key = repo.publicKeys().add(Callers.signedIn(ctx),
                name == null || name.isBlank() ? line.comment() : name, line.type(), line.data(), line.fingerprint());
        ctx.status(201).json(key);
    }

    private void deleteKey(Context ctx) {
        repo.publicKeys().delete(Callers.signedIn(ctx), ctx.pathParam("id"));
        ctx.status(204);
    }
}
