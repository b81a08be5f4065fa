package org.arca.preview;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.OffsetDateTime;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/** The {@code extracted_text} table of {@link DocumentPreviewPlugin#SCHEMA}, by hand like the core's tables. */
final class TextTable {
    static final Table<Record> T = table(name("extracted_text"));
    static final Field<String> SHA256 = field(name("extracted_text", "sha256"), String.class);
    static final Field<String> STATE = field(name("extracted_text", "state"), String.class);
    static final Field<String> REASON = field(name("extracted_text", "reason"), String.class);
    static final Field<String> MEDIA_TYPE = field(name("extracted_text", "media_type"), String.class);
    static final Field<String> CONTENT = field(name("extracted_text", "content"), String.class);
    static final Field<OffsetDateTime> UPDATED_AT = field(name("extracted_text", "updated_at"), OffsetDateTime.class);

    private TextTable() {
    }
}
