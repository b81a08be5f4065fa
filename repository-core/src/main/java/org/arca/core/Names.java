package org.arca.core;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The rules names must follow, shared by every surface so a name valid on one is valid on all. */
public final class Names {
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{1,63}");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}");
    private static final int MAX_NAME_BYTES = 255;

    private Names() {
    }

    /**
     * A folder, collection, item or file name: 1 to 255 UTF-8 bytes, no {@code /} or {@code \}, no control
     * characters or NUL, not {@code .} or {@code ..}, no leading or trailing space. These names become path
     * segments on SFTP and in ZIP archives, so anything that could climb out of a folder is refused here.
     */
    public static String requireValidName(String name) {
        if (name == null || name.isEmpty()) {
            throw ArcaException.invalid("invalid_name", "A name may not be empty.");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw ArcaException.invalid("invalid_name", "A name may have at most " + MAX_NAME_BYTES + " bytes.");
        }
        if (name.equals(".") || name.equals("..")) {
            throw ArcaException.invalid("invalid_name", "'.' and '..' are not names.");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') {
                throw ArcaException.invalid("invalid_name", "A name may not contain '/' or '\\'.");
            }
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw ArcaException.invalid("invalid_name", "A name may not contain control characters.");
            }
        }
        if (!name.equals(name.strip())) {
            throw ArcaException.invalid("invalid_name", "A name may not begin or end with spaces.");
        }
        return name;
    }

    public static String requireValidLogin(String login) {
        if (login == null || !LOGIN.matcher(login).matches()) {
            throw ArcaException.invalid("invalid_login",
                    "A login has 2 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit.");
        }
        return login;
    }

    public static String requireValidGroupName(String name) {
        if (name == null || !GROUP.matcher(name).matches()) {
            throw ArcaException.invalid("invalid_group_name",
                    "A group name has 1 to 128 letters, digits, spaces, '.', '_' or '-'.");
        }
        return name;
    }

    public static String requireText(String value, String field, int maxLength) {
        if (value == null || value.isBlank()) {
            throw ArcaException.invalid("missing_" + field, "The " + field.replace('_', ' ') + " is required.");
        }
        if (value.length() > maxLength) {
            throw ArcaException.invalid("invalid_" + field,
                    "The " + field.replace('_', ' ') + " may have at most " + maxLength + " characters.");
        }
        return value.strip();
    }

    public static String optionalText(String value, String field, int maxLength) {
        if (value == null) {
            return "";
        }
        if (value.length() > maxLength) {
            throw ArcaException.invalid("invalid_" + field,
                    "The " + field.replace('_', ' ') + " may have at most " + maxLength + " characters.");
        }
        return value;
    }
}
