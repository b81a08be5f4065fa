package org.arca.dicomweb;

import java.util.List;
import java.util.regex.Pattern;
import org.arca.core.ArcaException;
import org.arca.dicom.VR;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * How one QIDO-RS key matches stored values, as PS3.18 8.3.4 and PS3.4 C.2.2.2 define it for the key's VR: single
 * values, UID lists, wildcards, date and time ranges, universal matching, and person names matched exactly, without
 * regard to case, or fuzzily. Values are checked here, so a malformed one is refused with the key's name.
 */
final class KeyMatching {
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final Pattern DATE = Pattern.compile("\\d{8}");
    private static final Pattern TIME = Pattern.compile("\\d{2}(\\d{2}(\\d{2}(\\.\\d{1,6})?)?)?");

    /**
     * How person names match: case-insensitively by default (as Orthanc and dcm4chee do, so a user typing
     * {@code smith} finds {@code SMITH^JOHN}), exactly as stored when asked for, or fuzzily.
     */
    enum NameMatching { IGNORE_CASE, EXACT, FUZZY }

    /** One key's matching, as PS3.18 8.3.4 and PS3.4 C.2.2.2 define it for the key's VR. */
    @SuppressWarnings("unchecked")
    static Condition match(QueryKey key, String value, NameMatching names) {
        if (!value.isEmpty() && value.chars().allMatch(c -> c == '*')) {
            // A lone '*' matches every value, an empty or absent one included (PS3.4 C.2.2.2.4), which LIKE '%'
            // does not: SQL's LIKE never matches the NULL an absent attribute is stored as.
            return DSL.noCondition();
        }
        if (key.vr == VR.UI) {
            List<String> uids = List.of(value.split("\\\\"));
            for (String uid : uids) {
                if (!UID.matcher(uid).matches() || uid.length() > 64) {
                    throw ArcaException.invalid("invalid_uid", "'" + key.keyword + "' holds a malformed UID.");
                }
            }
            return ((Field<String>) key.column).in(uids);
        }
        if (key.vr == VR.DA) {
            return range((Field<String>) key.column, value, DATE, key.keyword, "YYYYMMDD");
        }
        if (key.vr == VR.TM) {
            return range((Field<String>) key.column, value, TIME, key.keyword, "HHMMSS");
        }
        if (key.vr == VR.IS || key.vr == VR.US) {
            try {
                return ((Field<Integer>) key.column).eq(Integer.parseInt(value.strip()));
            } catch (NumberFormatException e) {
                throw ArcaException.invalid("invalid_number", "'" + key.keyword + "' must be a whole number.");
            }
        }
        Field<String> column = (Field<String>) key.column;
        String pattern = value;
        if (key == QueryKey.PATIENT_NAME && names == NameMatching.FUZZY) {
            column = IndexTable.PATIENT_NAME_FUZZY;
            pattern = DicomIndexer.fuzzy(value);
            // Fuzzy person names match at the start of any name component, as viewers expect from "doe".
            return column.like(like(pattern) + "%", '!').or(column.like("%^" + like(pattern) + "%", '!'));
        }
        if (key.vr == VR.PN && names != NameMatching.EXACT) {
            // The stored folded form, indexed, rather than UPPER(column), which would fold every row per query.
            column = key.foldedColumn;
            pattern = PersonNameCase.fold(value);
        }
        if (pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0) {
            return column.like(like(pattern), '!');
        }
        return column.eq(pattern);
    }

    /** Translates DICOM wildcards to SQL LIKE with '!' as escape. */
    private static String like(String pattern) {
        StringBuilder sql = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> sql.append('%');
                case '?' -> sql.append('_');
                case '%', '_', '!' -> sql.append('!').append(c);
                default -> sql.append(c);
            }
        }
        return sql.toString();
    }

    private static Condition range(Field<String> column, String value, Pattern format, String keyword, String shape) {
        int dash = value.indexOf('-');
        if (dash < 0) {
            check(value, format, keyword, shape);
            return column.eq(value);
        }
        String from = value.substring(0, dash);
        String to = value.substring(dash + 1);
        Condition c = DSL.noCondition();
        if (!from.isEmpty()) {
            check(from, format, keyword, shape);
            c = c.and(column.ge(from));
        }
        if (!to.isEmpty()) {
            check(to, format, keyword, shape);
            c = c.and(column.le(to));
        }
        if (from.isEmpty() && to.isEmpty()) {
            throw ArcaException.invalid("invalid_range", "'" + keyword + "' range needs at least one end.");
        }
        return c;
    }

    private static void check(String value, Pattern format, String keyword, String shape) {
        if (!format.matcher(value).matches()) {
            throw ArcaException.invalid("invalid_date", "'" + keyword + "' must be " + shape + " or a range of them.");
        }
    }

    private KeyMatching() {
    }
}
