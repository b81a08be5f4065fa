package org.arca.core;

import static org.arca.core.Database.instant;
import static org.arca.core.Database.stamp;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.arca.core.Tables.NotificationsT;
import org.arca.core.Tables.UserRoles;
import org.arca.core.Tables.Users;
import org.arca.core.access.Caller;
import org.arca.core.access.Role;
import org.arca.core.accounts.User;
import org.jooq.Condition;
import org.jooq.Record;

/**
 * Messages for one user, shown in the portal until read: a module tells a user about something that
 * happened to their work without them polling for it (a curator reviewed their model; a model awaits
 * review). Services send; a user reads and marks only their own. Messages are Arca's own words and ids,
 * never file contents, so no patient data is copied here.
 */
public final class Notifications {

    /** One message as its reader sees it; {@code link} is a portal route such as {@code #/ai}, or null. */
    public record Notification(String id, String kind, String message, String link, Instant createdAt, Instant readAt) {
    }

    /** The newest messages, and how many are unread in all. */
    public record Inbox(List<Notification> notifications, int unread) {
    }

    /** A user keeps at most this many; older read ones go first, so a busy curator's inbox stays bounded. */
    static final int KEPT_PER_USER = 500;

    private final Database db;
    private final Clock clock;

    Notifications(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Sends a message to one user (a service speaks here, not a caller: there is no access check). */
    public void send(String userId, String kind, String message, String link) {
        Names.requireText(kind, "kind", 64);
        String text = message.length() > 4000 ? message.substring(0, 3999) + "…" : message;
        db.inTransaction(tx -> {
            tx.insertInto(NotificationsT.T).set(NotificationsT.ID, Ids.newId()).set(NotificationsT.USER_ID, userId)
                    .set(NotificationsT.KIND, kind).set(NotificationsT.MESSAGE, text).set(NotificationsT.LINK, link)
                    .set(NotificationsT.CREATED_AT, stamp(clock.instant()))
                    .execute();
            List<String> beyond = tx.select(NotificationsT.ID).from(NotificationsT.T)
                    .where(NotificationsT.USER_ID.eq(userId))
                    .orderBy(NotificationsT.READ_AT.isNull().desc(), NotificationsT.CREATED_AT.desc(), NotificationsT.ID.desc())
                    .offset(KEPT_PER_USER).fetch(NotificationsT.ID);
            if (!beyond.isEmpty()) {
                tx.deleteFrom(NotificationsT.T).where(NotificationsT.ID.in(beyond)).execute();
            }
            return null;
        });
    }

    /**
     * Sends the same message once to every active user holding any of {@code roles}, except {@code exceptUserId}
     * (may be null).
     */
    public void sendToRoles(Collection<Role> roles, String exceptUserId, String kind, String message, String link) {
        List<String> holders = db.dsl().selectDistinct(UserRoles.USER_ID).from(UserRoles.T)
                .join(Users.T).on(Users.ID.eq(UserRoles.USER_ID))
                .where(UserRoles.ROLE.in(roles.stream().map(Role::wireName).toList()))
                .and(Users.STATUS.eq(User.Status.ACTIVE.wireName()))
                .fetch(UserRoles.USER_ID);
        for (String holder : holders) {
            if (!holder.equals(exceptUserId)) {
                send(holder, kind, message, link);
            }
        }
    }

    /** The caller's newest {@code limit} messages (unread only if asked) and their unread count. */
    public Inbox inbox(Caller caller, boolean unreadOnly, int limit) {
        requireSignedIn(caller);
        Condition mine = NotificationsT.USER_ID.eq(caller.userId());
        List<Notification> list = db.dsl().select(NotificationsT.ALL).from(NotificationsT.T)
                .where(unreadOnly ? mine.and(NotificationsT.READ_AT.isNull()) : mine)
                .orderBy(NotificationsT.CREATED_AT.desc(), NotificationsT.ID.desc())
                .limit(Math.max(1, Math.min(limit, KEPT_PER_USER)))
                .fetch(Notifications::notification);
        int unread = db.dsl().fetchCount(NotificationsT.T, mine.and(NotificationsT.READ_AT.isNull()));
        return new Inbox(list, unread);
    }

    /** Marks the caller's listed messages read (all of them when {@code ids} is empty); others' ids are ignored. */
    public int markRead(Caller caller, Collection<String> ids) {
        requireSignedIn(caller);
        Condition which = NotificationsT.USER_ID.eq(caller.userId()).and(NotificationsT.READ_AT.isNull());
        return db.dsl().update(NotificationsT.T).set(NotificationsT.READ_AT, stamp(clock.instant()))
                .where(ids.isEmpty() ? which : which.and(NotificationsT.ID.in(ids)))
                .execute();
    }

    private static void requireSignedIn(Caller caller) {
        if (!caller.signedIn()) {
            throw ArcaException.unauthorized("Sign in to read notifications.");
        }
    }

    private static Notification notification(Record r) {
        var read = r.get(NotificationsT.READ_AT);
        return new Notification(r.get(NotificationsT.ID), r.get(NotificationsT.KIND), r.get(NotificationsT.MESSAGE),
                r.get(NotificationsT.LINK), instant(r.get(NotificationsT.CREATED_AT)), read == null ? null : instant(read));
    }
}
