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
public final class Tables {
    private Tables() {
    }

    private static Field<String> text(String table, String column) {
        return field(name(table, column), String.class);
    }

    private static Field<OffsetDateTime> time(String table, String column) {
        return field(name(table, column), OffsetDateTime.class);
    }

    public static final class Sites {
        public static final Table<Record> T = table(name("sites"));
        public static final Field<String> ID = text("sites", "id");
        public static final Field<String> NAME = text("sites", "name");
        public static final Field<String> CODE = text("sites", "registration_code");
        public static final Field<OffsetDateTime> CREATED_AT = time("sites", "created_at");
        public static final Field<?>[] ALL = {ID, NAME, CODE, CREATED_AT};
    }

    public static final class Users {
        public static final Table<Record> T = table(name("users"));
        public static final Field<String> ID = text("users", "id");
        public static final Field<String> LOGIN = text("users", "login");
        public static final Field<String> DISPLAY_NAME = text("users", "display_name");
        public static final Field<String> EMAIL = text("users", "email");
        public static final Field<String> PASSWORD_HASH = text("users", "password_hash");
        public static final Field<String> STATUS = text("users", "status");
        public static final Field<String> SITE_ID = text("users", "site_id");
        public static final Field<OffsetDateTime> CREATED_AT = time("users", "created_at");
        public static final Field<?>[] ALL = {ID, LOGIN, DISPLAY_NAME, EMAIL, PASSWORD_HASH, STATUS, SITE_ID, CREATED_AT};
    }

    public static final class UserRoles {
        public static final Table<Record> T = table(name("user_roles"));
        public static final Field<String> USER_ID = text("user_roles", "user_id");
        public static final Field<String> ROLE = text("user_roles", "role_name");
        public static final Field<?>[] ALL = {USER_ID, ROLE};
    }

    public static final class Groups {
        public static final Table<Record> T = table(name("user_groups"));
        public static final Field<String> ID = text("user_groups", "id");
        public static final Field<String> NAME = text("user_groups", "name");
        public static final Field<OffsetDateTime> CREATED_AT = time("user_groups", "created_at");
        public static final Field<?>[] ALL = {ID, NAME, CREATED_AT};
    }

    public static final class Members {
        public static final Table<Record> T = table(name("group_members"));
        public static final Field<String> GROUP_ID = text("group_members", "group_id");
        public static final Field<String> USER_ID = text("group_members", "user_id");
        public static final Field<?>[] ALL = {GROUP_ID, USER_ID};
    }

    public static final class Tokens {
        public static final Table<Record> T = table(name("api_tokens"));
        public static final Field<String> ID = text("api_tokens", "id");
        public static final Field<String> USER_ID = text("api_tokens", "user_id");
        public static final Field<String> NAME = text("api_tokens", "name");
        public static final Field<String> SECRET_HASH = text("api_tokens", "secret_hash");
        public static final Field<OffsetDateTime> CREATED_AT = time("api_tokens", "created_at");
        public static final Field<OffsetDateTime> EXPIRES_AT = time("api_tokens", "expires_at");
        public static final Field<OffsetDateTime> REVOKED_AT = time("api_tokens", "revoked_at");
        public static final Field<OffsetDateTime> LAST_USED_AT = time("api_tokens", "last_used_at");
        public static final Field<?>[] ALL = {ID, USER_ID, NAME, SECRET_HASH, CREATED_AT, EXPIRES_AT, REVOKED_AT, LAST_USED_AT};
    }

    public static final class PublicKeysT {
        public static final Table<Record> T = table(name("public_keys"));
        public static final Field<String> ID = text("public_keys", "id");
        public static final Field<String> USER_ID = text("public_keys", "user_id");
        public static final Field<String> NAME = text("public_keys", "name");
        public static final Field<String> KEY_TYPE = text("public_keys", "key_type");
        public static final Field<String> KEY_DATA = text("public_keys", "key_data");
        public static final Field<String> FINGERPRINT = text("public_keys", "fingerprint");
        public static final Field<OffsetDateTime> CREATED_AT = time("public_keys", "created_at");
        public static final Field<?>[] ALL = {ID, USER_ID, NAME, KEY_TYPE, KEY_DATA, FINGERPRINT, CREATED_AT};
    }

    public static final class NotificationsT {
        public static final Table<Record> T = table(name("notifications"));
        public static final Field<String> ID = text("notifications", "id");
        public static final Field<String> USER_ID = text("notifications", "user_id");
        public static final Field<String> KIND = text("notifications", "kind");
        public static final Field<String> MESSAGE = text("notifications", "message");
        public static final Field<String> LINK = text("notifications", "link");
        public static final Field<OffsetDateTime> CREATED_AT = time("notifications", "created_at");
        public static final Field<OffsetDateTime> READ_AT = time("notifications", "read_at");
        public static final Field<?>[] ALL = {ID, USER_ID, KIND, MESSAGE, LINK, CREATED_AT, READ_AT};
    }

    public static final class SessionsT {
        public static final Table<Record> T = table(name("sessions"));
        public static final Field<String> SECRET_HASH = text("sessions", "secret_hash");
        public static final Field<String> USER_ID = text("sessions", "user_id");
        public static final Field<OffsetDateTime> CREATED_AT = time("sessions", "created_at");
        public static final Field<OffsetDateTime> EXPIRES_AT = time("sessions", "expires_at");
        public static final Field<?>[] ALL = {SECRET_HASH, USER_ID, CREATED_AT, EXPIRES_AT};
    }

    public static final class Folders {
        public static final Table<Record> T = table(name("folders"));
        public static final Field<String> ID = text("folders", "id");
        public static final Field<String> PARENT_ID = text("folders", "parent_id");
        public static final Field<String> PARENT_KEY = text("folders", "parent_key");
        public static final Field<String> COLLECTION_ID = text("folders", "collection_id");
        public static final Field<String> NAME = text("folders", "name");
        public static final Field<String> DESCRIPTION = text("folders", "description");
        public static final Field<String> CREATED_BY = text("folders", "created_by");
        public static final Field<OffsetDateTime> CREATED_AT = time("folders", "created_at");
        public static final Field<OffsetDateTime> UPDATED_AT = time("folders", "updated_at");
        public static final Field<?>[] ALL = {ID, PARENT_ID, PARENT_KEY, COLLECTION_ID, NAME, DESCRIPTION, CREATED_BY, CREATED_AT, UPDATED_AT};
    }

    public static final class Ancestors {
        public static final Table<Record> T = table(name("folder_ancestors"));
        public static final Field<String> FOLDER_ID = text("folder_ancestors", "folder_id");
        public static final Field<String> ANCESTOR_ID = text("folder_ancestors", "ancestor_id");
        public static final Field<Integer> DEPTH = field(name("folder_ancestors", "depth"), Integer.class);
        public static final Field<?>[] ALL = {FOLDER_ID, ANCESTOR_ID, DEPTH};
    }

    public static final class Acl {
        public static final Table<Record> T = table(name("acl_entries"));
        public static final Field<String> FOLDER_ID = text("acl_entries", "folder_id");
        public static final Field<String> PRINCIPAL_TYPE = text("acl_entries", "principal_type");
        public static final Field<String> PRINCIPAL_ID = text("acl_entries", "principal_id");
        public static final Field<Integer> LEVEL = field(name("acl_entries", "access_level"), Integer.class);
        public static final Field<?>[] ALL = {FOLDER_ID, PRINCIPAL_TYPE, PRINCIPAL_ID, LEVEL};
    }

    public static final class Blobs {
        public static final Table<Record> T = table(name("blobs"));
        public static final Field<String> SHA256 = text("blobs", "sha256");
        public static final Field<Long> SIZE = field(name("blobs", "size_bytes"), Long.class);
        public static final Field<OffsetDateTime> CREATED_AT = time("blobs", "created_at");
        public static final Field<?>[] ALL = {SHA256, SIZE, CREATED_AT};
    }

    public static final class Items {
        public static final Table<Record> T = table(name("items"));
        public static final Field<String> ID = text("items", "id");
        public static final Field<String> FOLDER_ID = text("items", "folder_id");
        public static final Field<String> NAME = text("items", "name");
        public static final Field<String> DESCRIPTION = text("items", "description");
        public static final Field<String> CREATED_BY = text("items", "created_by");
        public static final Field<OffsetDateTime> CREATED_AT = time("items", "created_at");
        public static final Field<OffsetDateTime> UPDATED_AT = time("items", "updated_at");
        public static final Field<?>[] ALL = {ID, FOLDER_ID, NAME, DESCRIPTION, CREATED_BY, CREATED_AT, UPDATED_AT};
    }

    public static final class Files {
        public static final Table<Record> T = table(name("files"));
        public static final Field<String> ID = text("files", "id");
        public static final Field<String> ITEM_ID = text("files", "item_id");
        public static final Field<String> NAME = text("files", "name");
        public static final Field<Long> SIZE = field(name("files", "size_bytes"), Long.class);
        public static final Field<String> MEDIA_TYPE = text("files", "media_type");
        public static final Field<String> SHA256 = text("files", "sha256");
        public static final Field<OffsetDateTime> CREATED_AT = time("files", "created_at");
        public static final Field<?>[] ALL = {ID, ITEM_ID, NAME, SIZE, MEDIA_TYPE, SHA256, CREATED_AT};
    }

    public static final class Meta {
        public static final Table<Record> T = table(name("metadata"));
        public static final Field<String> TARGET_TYPE = text("metadata", "target_type");
        public static final Field<String> TARGET_ID = text("metadata", "target_id");
        public static final Field<String> KEY = text("metadata", "meta_key");
        public static final Field<String> VALUE_TYPE = text("metadata", "value_type");
        public static final Field<String> TEXT_VALUE = text("metadata", "text_value");
        public static final Field<Double> NUMBER_VALUE = field(name("metadata", "number_value"), Double.class);
        public static final Field<LocalDate> DATE_VALUE = field(name("metadata", "date_value"), LocalDate.class);
        public static final Field<?>[] ALL = {TARGET_TYPE, TARGET_ID, KEY, VALUE_TYPE, TEXT_VALUE, NUMBER_VALUE, DATE_VALUE};
    }

    public static final class Audit {
        public static final Table<Record> T = table(name("audit_log"));
        public static final Field<Long> SEQ = field(name("audit_log", "seq"), Long.class);
        public static final Field<OffsetDateTime> CREATED_AT = time("audit_log", "created_at");
        public static final Field<String> ACTOR = text("audit_log", "actor");
        public static final Field<String> ACTION = text("audit_log", "action");
        public static final Field<String> RESOURCE_TYPE = text("audit_log", "resource_type");
        public static final Field<String> RESOURCE_ID = text("audit_log", "resource_id");
        public static final Field<String> DETAIL = text("audit_log", "detail");
        public static final Field<String> PREV_HASH = text("audit_log", "prev_hash");
        public static final Field<String> HASH = text("audit_log", "entry_hash");
        public static final Field<?>[] ALL = {SEQ, CREATED_AT, ACTOR, ACTION, RESOURCE_TYPE, RESOURCE_ID, DETAIL, PREV_HASH, HASH};
    }

    public static final class SiblingNamesT {
        public static final Table<Record> T = table(name("sibling_names"));
        public static final Field<String> PARENT_KEY = text("sibling_names", "parent_key");
        public static final Field<String> NAME = text("sibling_names", "name");
        public static final Field<String> ENTRY_ID = text("sibling_names", "entry_id");
    }

    public static final class TreeLock {
        public static final Table<Record> T = table(name("tree_lock"));
        public static final Field<Integer> ID = field(name("tree_lock", "id"), Integer.class);
    }

    public static final class AuditHead {
        public static final Table<Record> T = table(name("audit_head"));
        public static final Field<Integer> ID = field(name("audit_head", "id"), Integer.class);
        public static final Field<Long> SEQ = field(name("audit_head", "seq"), Long.class);
        public static final Field<String> HASH = text("audit_head", "entry_hash");
        public static final Field<?>[] ALL = {ID, SEQ, HASH};
    }
}
