package org.arca.core.accounts;

import static org.arca.core.Database.instant;
import static org.arca.core.Database.stamp;

import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.arca.core.ArcaException;
import org.arca.core.Database;
import org.arca.core.Ids;
import org.arca.core.Names;
import org.arca.core.Tables.Groups;
import org.arca.core.Tables.Members;
import org.arca.core.Tables.Sites;
import org.arca.core.Tables.UserRoles;
import org.arca.core.Tables.Users;
import org.arca.core.Tables;
import org.arca.core.access.AccessControl;
import org.arca.core.access.Caller;
import org.arca.core.access.Role;
import org.arca.core.audit.AuditLog;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;

/**
 * Users, groups, sites and global roles. Creating accounts, groups and sites is for admins;
 * anyone may register against a site's code and then waits, pending, for an admin's approval.
 */
public final class Accounts {

    /** What a new account needs. {@code siteId} and {@code roles} may be empty. */
    public record NewUser(String login, String password, String email, String displayName, String siteId,
                          Set<Role> roles) {
        public NewUser {
            roles = roles == null ? Set.of() : Set.copyOf(roles);
        }
    }

    private final Database db;
    private final AuditLog audit;
    private final PasswordHasher hasher;
    private final Runnable credentialsChanged;

    public Accounts(Database db, AuditLog audit, PasswordHasher hasher, Runnable credentialsChanged) {
        this.db = db;
        this.audit = audit;
        this.hasher = hasher;
        this.credentialsChanged = credentialsChanged;
    }

    /** An admin creates an active account. */
    public User create(Caller caller, NewUser spec) {
        requireAdmin(caller);
        return insert(caller, spec, User.Status.ACTIVE, "user.create");
    }

    /** Anyone registers against a site's registration code; the account waits for approval. */
    public User register(String login, String password, String email, String displayName, String siteCode) {
        String code = Names.requireText(siteCode, "site_code", 255);
        Site site = db.dsl().select(Sites.ALL).from(Sites.T).where(Sites.CODE.eq(code)).fetchOptional(Accounts::site)
                .orElseThrow(() -> ArcaException.invalid("unknown_site_code", "No site has that registration code."));
        Caller self = new Caller(null, login == null ? "anonymous" : login, Set.of(), Set.of());
        return insert(self, new NewUser(login, password, email, displayName, site.id(), Set.of()), User.Status.PENDING,
                "user.register");
    }

    private User insert(Caller caller, NewUser spec, User.Status status, String action) {
        String login = Names.requireValidLogin(spec.login());
        String email = Names.requireText(spec.email(), "email", 320);
        if (!email.contains("@")) {
            throw ArcaException.invalid("invalid_email", "An email address contains '@'.");
        }
        String displayName = spec.displayName() == null || spec.displayName().isBlank() ? login
                : Names.requireText(spec.displayName(), "display_name", 255);
        String hash = hasher.hash(spec.password());
        String id = Ids.newId();
        Instant now = Instant.now();
        try {
            db.inTransaction(tx -> {
                if (tx.fetchExists(Users.T, Users.LOGIN.equalIgnoreCase(login))) {
                    throw ArcaException.conflict("login_taken", "The login '" + login + "' is taken.");
                }
                if (spec.siteId() != null && !tx.fetchExists(Sites.T, Sites.ID.eq(spec.siteId()))) {
                    throw ArcaException.notFound("The site");
                }
                tx.insertInto(Users.T)
                        .set(Users.ID, id).set(Users.LOGIN, login).set(Users.DISPLAY_NAME, displayName)
                        .set(Users.EMAIL, email).set(Users.PASSWORD_HASH, hash).set(Users.STATUS, status.wireName())
                        .set(Users.SITE_ID, spec.siteId()).set(Users.CREATED_AT, stamp(now))
                        .execute();
                for (Role role : spec.roles()) {
                    tx.insertInto(UserRoles.T).set(UserRoles.USER_ID, id).set(UserRoles.ROLE, role.wireName()).execute();
                }
                audit.append(tx, caller, action, "user", login, "status=" + status.wireName() + " roles=" + spec.roles());
                return null;
            });
        } catch (IntegrityConstraintViolationException e) {
            throw ArcaException.conflict("login_taken", "The login '" + login + "' is taken.");
        }
        return byLogin(login).orElseThrow();
    }

    public Optional<User> byLogin(String login) {
        if (login == null) {
            return Optional.empty();
        }
        return db.dsl().select(Users.ALL).from(Users.T).where(Users.LOGIN.equalIgnoreCase(login)).fetchOptional()
                .map(r -> user(r, rolesOf(db.dsl(), r.get(Users.ID))));
    }

    public Optional<User> byId(String id) {
        return db.dsl().select(Users.ALL).from(Users.T).where(Users.ID.eq(id)).fetchOptional()
                .map(r -> user(r, rolesOf(db.dsl(), r.get(Users.ID))));
    }

    /** A user as the caller must see them: admins see anyone, others only themselves. */
    public User get(Caller caller, String login) {
        User user = byLogin(login).orElseThrow(() -> ArcaException.notFound("The user"));
        AccessControl.requireOwnerOrAdmin(caller, user.id(), "The user");
        return user;
    }

    public List<User> list(Caller caller, User.Status status) {
        requireAdmin(caller);
        DSLContext dsl = db.dsl();
        Map<String, Set<Role>> roles = dsl.select(UserRoles.USER_ID, UserRoles.ROLE).from(UserRoles.T).fetch().stream()
                .collect(Collectors.groupingBy(r -> r.get(UserRoles.USER_ID),
                        Collectors.mapping(r -> Role.parse(r.get(UserRoles.ROLE)), Collectors.toSet())));
        var query = dsl.select(Users.ALL).from(Users.T);
        var rows = status == null ? query.orderBy(Users.LOGIN).fetch()
                : query.where(Users.STATUS.eq(status.wireName())).orderBy(Users.LOGIN).fetch();
        return rows.map(r -> user(r, roles.getOrDefault(r.get(Users.ID), Set.of())));
    }

    /** Pending registrations become active; an admin decides. */
    public User approve(Caller caller, String login) {
        requireAdmin(caller);
        User user = get(caller, login);
        if (user.status() != User.Status.PENDING) {
            throw ArcaException.conflict("not_pending", "The account '" + user.login() + "' is not waiting for approval.");
        }
        return setStatus(caller, login, User.Status.ACTIVE);
    }

    public User setStatus(Caller caller, String login, User.Status status) {
        requireAdmin(caller);
        User user = byLogin(login).orElseThrow(() -> ArcaException.notFound("The user"));
        db.inTransaction(tx -> {
            tx.update(Users.T).set(Users.STATUS, status.wireName()).where(Users.ID.eq(user.id())).execute();
            if (status != User.Status.ACTIVE) {
                tx.deleteFrom(Tables.SessionsT.T).where(Tables.SessionsT.USER_ID.eq(user.id())).execute();
            }
            audit.append(tx, caller, "user.status", "user", user.login(), "status=" + status.wireName());
            return null;
        });
        credentialsChanged.run();
        return byLogin(login).orElseThrow();
    }

    public User update(Caller caller, String login, String displayName, String email, Set<Role> roles) {
        User user = get(caller, login);
        if (roles != null) {
            requireAdmin(caller);
        }
        db.inTransaction(tx -> {
            Map<org.jooq.Field<?>, Object> changes = new java.util.HashMap<>();
            if (displayName != null) {
                changes.put(Users.DISPLAY_NAME, Names.requireText(displayName, "display_name", 255));
            }
            if (email != null) {
                changes.put(Users.EMAIL, Names.requireText(email, "email", 320));
            }
            if (!changes.isEmpty()) {
                tx.update(Users.T).set(changes).where(Users.ID.eq(user.id())).execute();
            }
            if (roles != null) {
                tx.deleteFrom(UserRoles.T).where(UserRoles.USER_ID.eq(user.id())).execute();
                for (Role role : roles) {
                    tx.insertInto(UserRoles.T).set(UserRoles.USER_ID, user.id()).set(UserRoles.ROLE, role.wireName())
                            .execute();
                }
            }
            audit.append(tx, caller, "user.update", "user", user.login(), roles == null ? "profile" : "roles=" + roles);
            return null;
        });
        return byLogin(login).orElseThrow();
    }

    /** Admins set anyone's password; users set their own. Existing sessions end. */
    public void setPassword(Caller caller, String login, String password) {
        User user = get(caller, login);
        String hash = hasher.hash(password);
        db.inTransaction(tx -> {
            tx.update(Users.T).set(Users.PASSWORD_HASH, hash).where(Users.ID.eq(user.id())).execute();
            tx.deleteFrom(Tables.SessionsT.T).where(Tables.SessionsT.USER_ID.eq(user.id())).execute();
            audit.append(tx, caller, "user.password", "user", user.login(),
                    user.id().equals(caller.userId()) ? "own" : "reset by admin");
            return null;
        });
        credentialsChanged.run();
    }

    Optional<String> passwordHash(String userId) {
        return db.dsl().select(Users.PASSWORD_HASH).from(Users.T).where(Users.ID.eq(userId)).fetchOptional(Users.PASSWORD_HASH);
    }

    /** The caller a signed-in user acts as: their groups and roles, loaded now. */
    Caller callerFor(User user) {
        Set<String> groups = new HashSet<>(db.dsl().select(Members.GROUP_ID).from(Members.T)
                .where(Members.USER_ID.eq(user.id())).fetch(Members.GROUP_ID));
        return new Caller(user.id(), user.login(), groups, user.roles());
    }

    public Group createGroup(Caller caller, String name) {
        requireAdmin(caller);
        String valid = Names.requireValidGroupName(name);
        try {
            db.inTransaction(tx -> {
                if (tx.fetchExists(Groups.T, Groups.NAME.eq(valid))) {
                    throw ArcaException.conflict("group_exists", "A group named '" + valid + "' exists.");
                }
                tx.insertInto(Groups.T).set(Groups.ID, Ids.newId()).set(Groups.NAME, valid)
                        .set(Groups.CREATED_AT, stamp(Instant.now())).execute();
                audit.append(tx, caller, "group.create", "group", valid, "");
                return null;
            });
        } catch (IntegrityConstraintViolationException e) {
            throw ArcaException.conflict("group_exists", "A group named '" + valid + "' exists.");
        }
        return group(valid);
    }

    public List<Group> groups(Caller caller) {
        if (!caller.signedIn() && !caller.isAdmin()) {
            throw ArcaException.unauthorized("Sign in to see groups.");
        }
        DSLContext dsl = db.dsl();
        Map<String, List<String>> members = dsl.select(Members.GROUP_ID, Users.LOGIN).from(Members.T)
                .join(Users.T).on(Users.ID.eq(Members.USER_ID)).orderBy(Users.LOGIN).fetch().stream()
                .collect(Collectors.groupingBy(r -> r.get(Members.GROUP_ID),
                        Collectors.mapping(r -> r.get(Users.LOGIN), Collectors.toList())));
        return dsl.select(Groups.ALL).from(Groups.T).orderBy(Groups.NAME).fetch(r -> new Group(r.get(Groups.ID), r.get(Groups.NAME),
                caller.isAdmin() ? members.getOrDefault(r.get(Groups.ID), List.of()) : List.of()));
    }

    public Group group(String name) {
        Record r = db.dsl().select(Groups.ALL).from(Groups.T).where(Groups.NAME.eq(name)).fetchOptional()
                .orElseThrow(() -> ArcaException.notFound("The group"));
        List<String> members = db.dsl().select(Users.LOGIN).from(Members.T).join(Users.T).on(Users.ID.eq(Members.USER_ID))
                .where(Members.GROUP_ID.eq(r.get(Groups.ID))).orderBy(Users.LOGIN).fetch(Users.LOGIN);
        return new Group(r.get(Groups.ID), r.get(Groups.NAME), members);
    }

    public Optional<String> groupIdByName(String name) {
        return db.dsl().select(Groups.ID).from(Groups.T).where(Groups.NAME.eq(name)).fetchOptional(Groups.ID);
    }

    public Group addMember(Caller caller, String groupName, String login) {
        return changeMembership(caller, groupName, login, "group.add_member", (tx, group, user) -> {
            if (tx.fetchExists(Members.T, Members.GROUP_ID.eq(group.id()).and(Members.USER_ID.eq(user.id())))) {
                return false;
            }
            tx.insertInto(Members.T).set(Members.GROUP_ID, group.id()).set(Members.USER_ID, user.id()).execute();
            return true;
        });
    }

    public Group removeMember(Caller caller, String groupName, String login) {
        return changeMembership(caller, groupName, login, "group.remove_member", (tx, group, user) -> {
            tx.deleteFrom(Members.T).where(Members.GROUP_ID.eq(group.id()).and(Members.USER_ID.eq(user.id()))).execute();
            return true;
        });
    }

    /** One change of a group's members: whether it changed anything, which decides its audit entry. */
    @FunctionalInterface
    private interface MembershipChange {
        boolean apply(DSLContext tx, Group group, User user);
    }

    /**
     * Applies a membership change for an admin, audits it in its transaction when it changed something, and moves
     * the credentials version: a member's rights follow their groups.
     */
    private Group changeMembership(Caller caller, String groupName, String login, String action, MembershipChange change) {
        requireAdmin(caller);
        Group group = group(groupName);
        User user = byLogin(login).orElseThrow(() -> ArcaException.notFound("The user"));
        db.inTransaction(tx -> {
            if (change.apply(tx, group, user)) {
                audit.append(tx, caller, action, "group", group.name(), "user=" + user.login());
            }
            return null;
        });
        credentialsChanged.run();
        return group(groupName);
    }

    public Site createSite(Caller caller, String name, String registrationCode) {
        requireAdmin(caller);
        String validName = Names.requireText(name, "name", 255);
        String code = registrationCode == null || registrationCode.isBlank() ? Ids.newSecret().substring(0, 12)
                : Names.requireText(registrationCode, "registration_code", 255);
        String id = Ids.newId();
        try {
            db.inTransaction(tx -> {
                if (tx.fetchExists(Sites.T, Sites.NAME.eq(validName).or(Sites.CODE.eq(code)))) {
                    throw ArcaException.conflict("site_exists", "A site with that name or registration code exists.");
                }
                tx.insertInto(Sites.T).set(Sites.ID, id).set(Sites.NAME, validName).set(Sites.CODE, code)
                        .set(Sites.CREATED_AT, stamp(Instant.now())).execute();
                audit.append(tx, caller, "site.create", "site", id, "name=" + validName);
                return null;
            });
        } catch (IntegrityConstraintViolationException e) {
            throw ArcaException.conflict("site_exists", "A site with that name or registration code exists.");
        }
        return db.dsl().select(Sites.ALL).from(Sites.T).where(Sites.ID.eq(id)).fetchSingle(Accounts::site);
    }

    /** Admins see registration codes; others see only names. */
    public List<Site> sites(Caller caller) {
        return db.dsl().select(Sites.ALL).from(Sites.T).orderBy(Sites.NAME).fetch(r -> {
            Site s = site(r);
            return caller.isAdmin() ? s : new Site(s.id(), s.name(), null, s.createdAt());
        });
    }

    public static void requireAdmin(Caller caller) {
        if (!caller.isAdmin()) {
            if (!caller.signedIn()) {
                throw ArcaException.unauthorized("Sign in as an administrator.");
            }
            throw ArcaException.forbidden("Only administrators may do this.");
        }
    }

    private static Set<Role> rolesOf(DSLContext dsl, String userId) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        dsl.select(UserRoles.ROLE).from(UserRoles.T).where(UserRoles.USER_ID.eq(userId))
                .fetch(UserRoles.ROLE).forEach(r -> roles.add(Role.parse(r)));
        return roles;
    }

    private static User user(Record r, Set<Role> roles) {
        return new User(r.get(Users.ID), r.get(Users.LOGIN), r.get(Users.DISPLAY_NAME), r.get(Users.EMAIL),
                User.Status.parse(r.get(Users.STATUS)), r.get(Users.SITE_ID), roles, instant(r.get(Users.CREATED_AT)));
    }

    private static Site site(Record r) {
        return new Site(r.get(Sites.ID), r.get(Sites.NAME), r.get(Sites.CODE), instant(r.get(Sites.CREATED_AT)));
    }
}
