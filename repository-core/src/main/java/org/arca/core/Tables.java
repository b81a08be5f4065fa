package org.arca.core;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/**
 * The schema as jOOQ sees it, written by hand from {@code db/migration}: few tables, and no code
 * generator needing a database at build time. Keep it in step with the migrations.
 */
final class Tables {
    private Tables() {
    }

    private static Field<String> text(String table, String column) {
        return field(name(table, column), String.class);
    }

    private static Field<OffsetDateTime> time(String table, String column) {
        return field(name(table, column), OffsetDateTime.class);
    }

    static final class Sites {
        static final Table<Record> T = table(name("sites"));
        static final Field<String> ID = text("sites", "id");
        static final Field<String> NAME = text("sites", "name");
        static final Field<String> CODE = text("sites", "registration_code");
        static final Field<OffsetDateTime> CREATED_AT = time("sites", "created_at");
        static final Field<?>[] ALL = {ID, NAME, CODE, CREATED_AT};
    }

    static final class Users {
        static final Table<Record> T = table(name("users"));
        static final Field<String> ID = text("users", "id");
        static final Field<String> LOGIN = text("users", "login");
        static final Field<String> DISPLAY_NAME = text("users", "display_name");
        static final Field<String> EMAIL = text("users", "email");
        static final Field<String> PASSWORD_HASH = text("users", "password_hash");
        static final Field<String> STATUS = text("users", "status");
        static final Field<String> SITE_ID = text("users", "site_id");
        static final Field<OffsetDateTime> CREATED_AT = time("users", "created_at");
        static final Field<?>[] ALL = {ID, LOGIN, DISPLAY_NAME, EMAIL, PASSWORD_HASH, STATUS, SITE_ID, CREATED_AT};
    }

    static final class UserRoles {
        static final Table<Record> T = table(name("user_roles"));
        static final Field<String> USER_ID = text("user_roles", "user_id");
        static final Field<String> ROLE = text("user_roles", "role_name");
        static final Field<?>[] ALL = {USER_ID, ROLE};
    }

    static final class Groups {
        static final Table<Record> T = table(name("user_groups"));
        static final Field<String> ID = text("user_groups", "id");
        static final Field<String> NAME = text("user_groups", "name");
        static final Field<OffsetDateTime> CREATED_AT = time("user_groups", "created_at");
        static final Field<?>[] ALL = {ID, NAME, CREATED_AT};
    }

    static final class Members {
        static final Table<Record> T = table(name("group_members"));
        static final Field<String> GROUP_ID = text("group_members", "group_id");
        static final Field<String> USER_ID = text("group_members", "user_id");
        static final Field<?>[] ALL = {GROUP_ID, USER_ID};
    }

    static final class Tokens {
        static final Table<Record> T = table(name("api_tokens"));
        static final Field<String> ID = text("api_tokens", "id");
        static final Field<String> USER_ID = text("api_tokens", "user_id");
        static final Field<String> NAME = text("api_tokens", "name");
        static final Field<String> SECRET_HASH = text("api_tokens", "secret_hash");
        static final Field<OffsetDateTime> CREATED_AT = time("api_tokens", "created_at");
        static final Field<OffsetDateTime> EXPIRES_AT = time("api_tokens", "expires_at");
        static final Field<OffsetDateTime> REVOKED_AT = time("api_tokens", "revoked_at");
        static final Field<OffsetDateTime> LAST_USED_AT = time("api_tokens", "last_used_at");
        static final Field<?>[] ALL = {ID, USER_ID, NAME, SECRET_HASH, CREATED_AT, EXPIRES_AT, REVOKED_AT, LAST_USED_AT};
    }

    static final class PublicKeysT {
        static final Table<Record> T = table(name("public_keys"));
        static final Field<String> ID = text("public_keys", "id");
        static final Field<String> USER_ID = text("public_keys", "user_id");
        static final Field<String> NAME = text("public_keys", "name");
        static final Field<String> KEY_TYPE = text("public_keys", "key_type");
        static final Field<String> KEY_DATA = text("public_keys", "key_data");
        static final Field<String> FINGERPRINT = text("public_keys", "fingerprint");
        static final Field<OffsetDateTime> CREATED_AT = time("public_keys", "created_at");
        static final Field<?>[] ALL = {ID, USER_ID, NAME, KEY_TYPE, KEY_DATA, FINGERPRINT, CREATED_AT};
    }

    static final class NotificationsT {
        static final Table<Record> T = table(name("notifications"));
        static final Field<String> ID = text("notifications", "id");
        static final Field<String> USER_ID = text("notifications", "user_id");
        static final Field<String> KIND = text("notifications", "kind");
        static final Field<String> MESSAGE = text("notifications", "message");
        static final Field<String> LINK = text("notifications", "link");
        static final Field<OffsetDateTime> CREATED_AT = time("notifications", "created_at");
        static final Field<OffsetDateTime> READ_AT = time("notifications", "read_at");
        static final Field<?>[] ALL = {ID, USER_ID, KIND, MESSAGE, LINK, CREATED_AT, READ_AT};
    }

    static final class SessionsT {
        static final Table<Record> T = table(name("sessions"));
        static final Field<String> SECRET_HASH = text("sessions", "secret_hash");
        static final Field<String> USER_ID = text("sessions", "user_id");
        static final Field<OffsetDateTime> CREATED_AT = time("sessions", "created_at");
        static final Field<OffsetDateTime> EXPIRES_AT = time("sessions", "expires_at");
        static final Field<?>[] ALL = {SECRET_HASH, USER_ID, CREATED_AT, EXPIRES_AT};
    }

    static final class Folders {
        static final Table<Record> T = table(name("folders"));
        static final Field<String> ID = text("folders", "id");
        static final Field<String> PARENT_ID = text("folders", "parent_id");
        static final Field<String> PARENT_KEY = text("folders", "parent_key");
        static final Field<String> COLLECTION_ID = text("folders", "collection_id");
        static final Field<String> NAME = text("folders", "name");
        static final Field<String> DESCRIPTION = text("folders", "description");
        static final Field<String> CREATED_BY = text("folders", "created_by");
        static final Field<OffsetDateTime> CREATED_AT = time("folders", "created_at");
        static final Field<OffsetDateTime> UPDATED_AT = time("folders", "updated_at");
        static final Field<?>[] ALL = {ID, PARENT_ID, PARENT_KEY, COLLECTION_ID, NAME, DESCRIPTION, CREATED_BY, CREATED_AT, UPDATED_AT};
    }

    static final class Ancestors {
        static final Table<Record> T = table(name("folder_ancestors"));
        static final Field<String> FOLDER_ID = text("folder_ancestors", "folder_id");
        static final Field<String> ANCESTOR_ID = text("folder_ancestors", "ancestor_id");
        static final Field<Integer> DEPTH = field(name("folder_ancestors", "depth"), Integer.class);
        static final Field<?>[] ALL = {FOLDER_ID, ANCESTOR_ID, DEPTH};
    }

    static final class Acl {
        static final Table<Record> T = table(name("acl_entries"));
        static final Field<String> FOLDER_ID = text("acl_entries", "folder_id");
        static final Field<String> PRINCIPAL_TYPE = text("acl_entries", "principal_type");
        static final Field<String> PRINCIPAL_ID = text("acl_entries", "principal_id");
        static final Field<Integer> LEVEL = field(name("acl_entries", "access_level"), Integer.class);
        static final Field<?>[] ALL = {FOLDER_ID, PRINCIPAL_TYPE, PRINCIPAL_ID, LEVEL};
    }

    static final class Blobs {
        static final Table<Record> T = table(name("blobs"));
        static final Field<String> SHA256 = text("blobs", "sha256");
        static final Field<Long> SIZE = field(name("blobs", "size_bytes"), Long.class);
        static final Field<OffsetDateTime> CREATED_AT = time("blobs", "created_at");
        static final Field<?>[] ALL = {SHA256, SIZE, CREATED_AT};
    }

    static final class Items {
        static final Table<Record> T = table(name("items"));
        static final Field<String> ID = text("items", "id");
        static final Field<String> FOLDER_ID = text("items", "folder_id");
        static final Field<String> NAME = text("items", "name");
        static final Field<String> DESCRIPTION = text("items", "description");
        static final Field<String> CREATED_BY = text("items", "created_by");
        static final Field<OffsetDateTime> CREATED_AT = time("items", "created_at");
        static final Field<OffsetDateTime> UPDATED_AT = time("items", "updated_at");
        static final Field<?>[] ALL = {ID, FOLDER_ID, NAME, DESCRIPTION, CREATED_BY, CREATED_AT, UPDATED_AT};
    }

    static final class Files {
        static final Table<Record> T = table(name("files"));
        static final Field<String> ID = text("files", "id");
        static final Field<String> ITEM_ID = text("files", "item_id");
        static final Field<String> NAME = text("files", "name");
        static final Field<Long> SIZE = field(name("files", "size_bytes"), Long.class);
        static final Field<String> MEDIA_TYPE = text("files", "media_type");
        static final Field<String> SHA256 = text("files", "sha256");
        static final Field<OffsetDateTime> CREATED_AT = time("files", "created_at");
        static final Field<?>[] ALL = {ID, ITEM_ID, NAME, SIZE, MEDIA_TYPE, SHA256, CREATED_AT};
    }

    static final class Meta {
        static final Table<Record> T = table(name("metadata"));
        static final Field<String> TARGET_TYPE = text("metadata", "target_type");
        static final Field<String> TARGET_ID = text("metadata", "target_id");
        static final Field<String> KEY = text("metadata", "meta_key");
        static final Field<String> VALUE_TYPE = text("metadata", "value_type");
        static final Field<String> TEXT_VALUE = text("metadata", "text_value");
        static final Field<Double> NUMBER_VALUE = field(name("metadata", "number_value"), Double.class);
        static final Field<LocalDate> DATE_VALUE = field(name("metadata", "date_value"), LocalDate.class);
        static final Field<?>[] ALL = {TARGET_TYPE, TARGET_ID, KEY, VALUE_TYPE, TEXT_VALUE, NUMBER_VALUE, DATE_VALUE};
    }

    static final class Audit {
        static final Table<Record> T = table(name("audit_log"));
        static final Field<Long> SEQ = field(name("audit_log", "seq"), Long.class);
        static final Field<OffsetDateTime> CREATED_AT = time("audit_log", "created_at");
        static final Field<String> ACTOR = text("audit_log", "actor");
        static final Field<String> ACTION = text("audit_log", "action");
        static final Field<String> RESOURCE_TYPE = text("audit_log", "resource_type");
        static final Field<String> RESOURCE_ID = text("audit_log", "resource_id");
        static final Field<String> DETAIL = text("audit_log", "detail");
        static final Field<String> PREV_HASH = text("audit_log", "prev_hash");
        static final Field<String> HASH = text("audit_log", "entry_hash");
        static final Field<?>[] ALL = {SEQ, CREATED_AT, ACTOR, ACTION, RESOURCE_TYPE, RESOURCE_ID, DETAIL, PREV_HASH, HASH};
    }

    static final class SiblingNamesT {
        static final Table<Record> T = table(name("sibling_names"));
        static final Field<String> PARENT_KEY = text("sibling_names", "parent_key");
        static final Field<String> NAME = text("sibling_names", "name");
        static final Field<String> ENTRY_ID = text("sibling_names", "entry_id");
    }

    static final class TreeLock {
        static final Table<Record> T = table(name("tree_lock"));
        static final Field<Integer> ID = field(name("tree_lock", "id"), Integer.class);
    }

    static final class AuditHead {
        static final Table<Record> T = table(name("audit_head"));
        static final Field<Integer> ID = field(name("audit_head", "id"), Integer.class);
        static final Field<Long> SEQ = field(name("audit_head", "seq"), Long.class);
        static final Field<String> HASH = text("audit_head", "entry_hash");
        static final Field<?>[] ALL = {ID, SEQ, HASH};
    }
}
