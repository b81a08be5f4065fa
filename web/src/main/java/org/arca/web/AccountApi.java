package org.arca.web;

import static org.arca.web.Route.Audience.ADMIN;
import static org.arca.web.Route.Audience.ANYONE;
import static org.arca.web.Route.Audience.SIGNED_IN;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arca.core.ArcaException;
import org.arca.core.Repository;
import org.arca.core.access.Caller;
import org.arca.core.access.Role;
import org.arca.core.accounts.Accounts;
import org.arca.core.accounts.ApiToken;
import org.arca.core.accounts.Authentication;
import org.arca.core.accounts.User;

/** Signing in and out, registration, accounts, groups, sites and personal API tokens. */
final class AccountApi {
    private final Repository repo;
    private final Callers callers;

    AccountApi(Repository repo, Callers callers) {
        this.repo = repo;
        this.callers = callers;
    }

    List<Route> routes() {
        return new RouteList("accounts")
                .post("/api/v1/auth/login", ANYONE, "Sign in with login and password; sets the portal session cookie", this::login)
                .post("/api/v1/auth/logout", ANYONE, "End the portal session", this::logout)
                .post("/api/v1/register", ANYONE, "Register against a site's code; the account waits for approval", this::register)
                .get("/api/v1/users/me", SIGNED_IN, "The signed-in user", this::me)
                .get("/api/v1/users", ADMIN, "All accounts (status= filters)", this::users)
                .post("/api/v1/users", ADMIN, "Create an active account", this::createUser)
                .get("/api/v1/users/{login}", SIGNED_IN, "One account (admins, or the user themselves)", this::user)
                .patch("/api/v1/users/{login}", SIGNED_IN, "Change display name or email; admins also roles and status", this::updateUser)
                .put("/api/v1/users/{login}/password", SIGNED_IN, "Set a password (your own with currentPassword; admins set others')", this::password)
                .post("/api/v1/users/{login}/approve", ADMIN, "Approve a pending registration", this::approve)
                .get("/api/v1/groups", SIGNED_IN, "Groups (members shown to admins)", this::groups)
                .post("/api/v1/groups", ADMIN, "Create a group", this::createGroup)
                .put("/api/v1/groups/{name}/members/{login}", ADMIN, "Add a member", this::addMember)
                .delete("/api/v1/groups/{name}/members/{login}", ADMIN, "Remove a member", this::removeMember)
                .get("/api/v1/sites", SIGNED_IN, "Sites (codes shown to admins)", this::sites)
                .post("/api/v1/sites", ADMIN, "Create a site with a registration code", this::createSite)
                .get("/api/v1/tokens", SIGNED_IN, "The caller's API tokens", this::tokens)
                .post("/api/v1/tokens", SIGNED_IN, "Create an API token; the secret is shown once", this::createToken)
                .delete("/api/v1/tokens/{id}", SIGNED_IN, "Revoke an API token", this::revokeToken)
                .routes();
    }

    private void login(Context ctx) {
        ObjectNode body = Json.declaredBody(ctx);
        Authentication.Issued<Caller> session = repo.authentication().login(Json.requiredText(body, "login"),
                Json.requiredText(body, "password"), Callers.source(ctx));
        callers.setSessionCookie(ctx, session.secret());
        ctx.json(repo.accounts().byId(session.value().userId()).orElseThrow());
    }

    private void logout(Context ctx) {
        repo.authentication().logout(ctx.cookie(Callers.SESSION_COOKIE));
        callers.clearSessionCookie(ctx);
        ctx.status(204);
    }

    private void register(Context ctx) {
        ObjectNode body = Json.body(ctx);
        User user = repo.accounts().register(Json.requiredText(body, "login"), Json.requiredText(body, "password"),
                Json.requiredText(body, "email"), Json.text(body, "displayName"), Json.requiredText(body, "siteCode"));
        ctx.status(201).json(user);
    }

    private void me(Context ctx) {
        Caller caller = Callers.signedIn(ctx);
        ctx.json(repo.accounts().byId(caller.userId()).orElseThrow(() -> ArcaException.unauthorized("Sign in first.")));
    }

    private void users(Context ctx) {
        String status = ctx.queryParam("status");
        ctx.json(Map.of("users", repo.accounts().list(Callers.of(ctx), status == null ? null : User.Status.parse(status))));
    }

    private void createUser(Context ctx) {
        ObjectNode body = Json.body(ctx);
        User user = repo.accounts().create(Callers.of(ctx), new Accounts.NewUser(Json.requiredText(body, "login"),
                Json.requiredText(body, "password"), Json.requiredText(body, "email"), Json.text(body, "displayName"),
                Json.text(body, "siteId"), roles(body.get("roles"))));
        ctx.status(201).json(user);
    }

    private void user(Context ctx) {
        ctx.json(repo.accounts().get(Callers.signedIn(ctx), ctx.pathParam("login")));
    }

    private void updateUser(Context ctx) {
        Caller caller = Callers.signedIn(ctx);
        String login = ctx.pathParam("login");
        ObjectNode body = Json.body(ctx);
        String status = Json.text(body, "status");
        if (status != null) {
            repo.accounts().setStatus(caller, login, User.Status.parse(status));
        }
        User user = repo.accounts().update(caller, login, Json.text(body, "displayName"), Json.text(body, "email"),
                body.has("roles") ? roles(body.get("roles")) : null);
        ctx.json(user);
    }

    private void password(Context ctx) {
        Caller caller = Callers.signedIn(ctx);
        String login = ctx.pathParam("login");
        ObjectNode body = Json.body(ctx);
        if (repo.accounts().get(caller, login).id().equals(caller.userId())) {
            // Whoever holds a stolen session, an admin's included, must not be able to lock the owner out: one's
            // own password changes only with the current one. An admin setting another account's password is an
            // admin action of its own (audited as such), for a user who forgot theirs. A wrong current password
            // is the caller's mistake in a form, not a failed sign-in of the request: 403, not 401.
            try {
                repo.authentication().password(caller.login(), Json.requiredText(body, "currentPassword"),
                        Callers.source(ctx));
            } catch (ArcaException e) {
                if (e.kind() != ArcaException.Kind.UNAUTHORIZED) {
                    throw e;
                }
                throw new ArcaException(ArcaException.Kind.FORBIDDEN, "wrong_current_password", "The current password is wrong.");
            }
        }
        repo.accounts().setPassword(caller, login, Json.requiredText(body, "password"));
        ctx.status(204);
    }

    private void approve(Context ctx) {
        ctx.json(repo.accounts().approve(Callers.of(ctx), ctx.pathParam("login")));
    }

    private void groups(Context ctx) {
        ctx.json(Map.of("groups", repo.accounts().groups(Callers.signedIn(ctx))));
    }

    private void createGroup(Context ctx) {
        ctx.status(201).json(repo.accounts().createGroup(Callers.of(ctx), Json.requiredText(Json.body(ctx), "name")));
    }

    private void addMember(Context ctx) {
        ctx.json(repo.accounts().addMember(Callers.of(ctx), ctx.pathParam("name"), ctx.pathParam("login")));
    }

    private void removeMember(Context ctx) {
        ctx.json(repo.accounts().removeMember(Callers.of(ctx), ctx.pathParam("name"), ctx.pathParam("login")));
    }

    private void sites(Context ctx) {
        ctx.json(Map.of("sites", repo.accounts().sites(Callers.signedIn(ctx))));
    }

    private void createSite(Context ctx) {
        ObjectNode body = Json.body(ctx);
        ctx.status(201).json(repo.accounts().createSite(Callers.of(ctx), Json.requiredText(body, "name"),
                Json.text(body, "registrationCode")));
    }

    private void tokens(Context ctx) {
        ctx.json(Map.of("tokens", repo.authentication().tokens(Callers.signedIn(ctx))));
    }

    private void createToken(Context ctx) {
        ObjectNode body = Json.body(ctx);
        JsonNode days = body.get("expiresInDays");
        Duration lifetime = null;
        if (days != null && !days.isNull()) {
            if (!days.isNumber() || days.asDouble() <= 0 || days.asDouble() > 3650) {
                throw ArcaException.invalid("invalid_expiry", "expiresInDays is a number from 1 to 3650.");
            }
            lifetime = Duration.ofMinutes(Math.round(days.asDouble() * 24 * 60));
        }
        Authentication.Issued<ApiToken> issued = repo.authentication().createToken(Callers.signedIn(ctx),
                Json.text(body, "name"), lifetime);
        Map<String, Object> view = new LinkedHashMap<>(Json.MAPPER.convertValue(issued.value(), Json.OBJECT));
        view.put("token", issued.secret());
        ctx.status(201).json(view);
    }

    private void revokeToken(Context ctx) {
        repo.authentication().revokeToken(Callers.signedIn(ctx), ctx.pathParam("id"));
        ctx.status(204);
    }

    private static Set<Role> roles(JsonNode node) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (node == null || node.isNull()) {
            return roles;
        }
        if (!node.isArray()) {
            throw ArcaException.invalid("invalid_roles", "roles is a list such as [\"curator\"].");
        }
        node.forEach(r -> roles.add(Role.parse(r.asText())));
        return roles;
    }
}
